import KinemaNN
import KinemaTestSupport
import Testing

// Reference: gen_nn.py::gen_layers — nn.MultiheadAttention with given weights (random biases),
// its state_dict loaded strictly.
@Suite struct MultiheadAttentionTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_layers") }

    func load(_ name: String, _ build: (ParameterPath) throws -> MultiheadAttention) throws -> MultiheadAttention {
        let mha = try build(ParameterStore().root)
        try mha.loadStateDict(fx.subset("\(name).state."))
        return mha
    }

    func checkGradients(_ name: String, _ mha: MultiheadAttention, inputs: [(String, Tensor)]) throws {
        for (input, tensor) in inputs {
            expectClose(
                tensor.grad!, try fx.tensor("\(name).grad_\(input)"), rtol: 1e-4, atol: 1e-5, "\(name) grad of \(input)"
            )
        }
        let expected = fx.subset("\(name).grad.")
        #expect(Set(mha.namedParameters().map(\.name)) == Set(expected.keys))
        for (key, parameter) in mha.namedParameters() {
            expectClose(parameter.grad!, expected[key]!, rtol: 1e-4, atol: 1e-5, "\(name) grad of \(key)")
        }
    }

    @Test func selfAttentionWithMasksReturnsAveragedWeights() throws {
        let mha = try load("mha_self") { p in try MultiheadAttention(p, embedDimension: 8, headCount: 2) }
        #expect(
            mha.namedParameters().map(\.name) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
        let x = leaf(try fx.tensor("mha_self.q"))
        let (out, weights) = mha(
            query: x, key: x, value: x, keyPaddingMask: try fx.tensor("mha_self.key_padding_mask"),
            attentionMask: try fx.tensor("mha_self.attn_mask"), mode: .train)
        expectClose(out, try fx.tensor("mha_self.out"), rtol: 1e-5, atol: 1e-6)
        expectClose(try #require(weights), try fx.tensor("mha_self.weights"), rtol: 1e-5, atol: 1e-6)
        out.backward(try fx.tensor("mha_self.grad_out"))
        try checkGradients("mha_self", mha, inputs: [("q", x)])
    }

    @Test func batchFirstCrossAttentionWithFloatMask() throws {
        // need_weights=False: PyTorch and Kinema both take scaled_dot_product_attention.
        let mha = try load("mha_cross") { p in
            try MultiheadAttention(p, embedDimension: 8, headCount: 4, batchFirst: true)
        }
        let (q, k, v) = (
            leaf(try fx.tensor("mha_cross.q")), leaf(try fx.tensor("mha_cross.k")), leaf(try fx.tensor("mha_cross.v"))
        )
        let (out, weights) = mha(
            query: q, key: k, value: v, needWeights: false, attentionMask: try fx.tensor("mha_cross.attn_mask"),
            mode: .train)
        #expect(weights == nil)
        expectClose(out, try fx.tensor("mha_cross.out"), rtol: 1e-5, atol: 1e-6)
        out.backward(try fx.tensor("mha_cross.grad_out"))
        try checkGradients("mha_cross", mha, inputs: [("q", q), ("k", k), ("v", v)])
    }

    @Test func perHeadWeightsWithoutBias() throws {
        let mha = try load("mha_heads") { p in try MultiheadAttention(p, embedDimension: 6, headCount: 3, bias: false) }
        #expect(mha.namedParameters().map(\.name) == ["in_proj_weight", "out_proj.weight"])
        let (q, k, v) = (
            leaf(try fx.tensor("mha_heads.q")), leaf(try fx.tensor("mha_heads.k")), leaf(try fx.tensor("mha_heads.v"))
        )
        let (out, weights) = mha(query: q, key: k, value: v, averageWeights: false, mode: .eval)
        expectClose(out, try fx.tensor("mha_heads.out"), rtol: 1e-5, atol: 1e-6)
        expectClose(try #require(weights), try fx.tensor("mha_heads.weights"), rtol: 1e-5, atol: 1e-6)
        out.backward(try fx.tensor("mha_heads.grad_out"))
        try checkGradients("mha_heads", mha, inputs: [("q", q), ("k", k), ("v", v)])
    }

    @Test func fusedAndExplicitPathsAgree() throws {
        let mha = try load("mha_self") { p in try MultiheadAttention(p, embedDimension: 8, headCount: 2) }
        let x = try fx.tensor("mha_self.q")
        let explicit = mha(query: x, key: x, value: x, mode: .eval).output
        expectClose(mha(x, mode: .eval), explicit, rtol: 1e-5, atol: 1e-6)
    }
}
