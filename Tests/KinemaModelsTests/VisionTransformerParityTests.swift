import Foundation
import KinemaModels
import KinemaTestSupport
import Testing

// Reference: Tools/fixtures/gen_vit.py. Two implementations we did not write or wrote apart from
// Kinema: transformers' VideoMAEForVideoClassification (loaded here through the key mapping,
// config.json and all) and a plain-PyTorch model in the module layout of the official VideoMAE code
// (loaded strictly under its own keys), each at width 32, 4 heads, 2 blocks, with random weights, on
// one clip [2, 3, 4, 32, 48] (2 × 2 × 3 tubes); and transformers' VideoMAEModel on the visible
// tokens of a tube mask, the masked autoencoder's encoder. As in ParityTests, the references were computed in
// float64 from float32 weights and rounded to float32, so the models run in float64 here and must
// match to float32 rounding (rtol 1e-5, atol 1e-6).
@Suite struct VisionTransformerParityTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("vit") }

    @Test func theOfficialLayoutLoadsStrictlyAndMatches() throws {
        var configuration = VisionTransformerConfiguration(dimension: 32, depth: 2, heads: 4)
        configuration.layerScale = 0.1
        let model = try VisionTransformer(ParameterStore(dtype: .float64).root, configuration, classes: 5)
        #expect(Set(model.stateDict().keys) == Set(fx.subset("official.state.").keys))
        try model.loadStateDict(fx.subset("official.state."))
        let gradients = try check(model, case: "official")
        try compare(gradients, with: fx.subset("official.grad."), case: "official")
    }

    @Test func aTransformersCheckpointLoadsThroughTheKeyMappingAndMatches() throws {
        let config = try #require(fx.metadata["hf.config"])
        let checkpoint = try HuggingFaceVideoMAE(
            config: try HuggingFaceVideoMAE.ModelConfig(json: Data(config.utf8)), stateDict: fx.subset("hf.state."))
        #expect(checkpoint.weights.layout == .huggingFace)
        #expect(checkpoint.weights.decoder.isEmpty && checkpoint.weights.encoderNorm.isEmpty)
        #expect(checkpoint.classNames == (0..<5).map { "motion \($0)" })
        #expect(checkpoint.clip == ClipShape(frames: 4, height: 32, width: 48))
        #expect(checkpoint.configuration.mlpHiddenDimension == 80)
        #expect(checkpoint.configuration.layerNormEpsilon == 1e-12 && checkpoint.configuration.poolNormEpsilon == 1e-5)
        let model = try checkpoint.model(ParameterStore(dtype: .float64).root)
        // transformers' gradients in Kinema's names, by the same mapping (query, key and value fused).
        let expected = try VideoMAEKeyMapping.videoMAEForm(fx.subset("hf.grad.")).encoder
        #expect(expected["blocks.0.attn.qkv.weight"] != nil && expected["blocks.0.attn.q_bias"] != nil)
        try compare(try check(model, case: "hf"), with: expected, case: "hf")
    }

    /// The masked autoencoder's encoder sees only the visible tokens (with their position table
    /// entries) and ends in its own LayerNorm: transformers' VideoMAEModel with a boolean mask.
    @Test func theEncoderOnVisibleTokensIsTransformers() throws {
        let converted = try VideoMAEKeyMapping.videoMAEForm(fx.subset("hf_encoder.state."))
        #expect(Set(converted.encoderNorm.keys) == ["norm.weight", "norm.bias"] && converted.decoder.isEmpty)
        var configuration = VisionTransformerConfiguration(dimension: 32, depth: 2, heads: 4)
        configuration.mlpHiddenDimension = 128
        let encoder = try VideoMAEEncoder(ParameterStore(dtype: .float64).root, configuration)
        try encoder.loadStateDict(converted.encoder.merging(converted.encoderNorm) { a, _ in a })
        let leaf = try fx.tensor("x").to(.float64).requiringGrad()
        let out = encoder(leaf, visible: try fx.tensor("hf_encoder.visible"), mode: .train)
        expectClose(out, try fx.tensor("hf_encoder.out"), "visible tokens")
        out.backward(try fx.tensor("hf_encoder.grad_out").to(.float64))
        expectClose(try #require(leaf.grad), try fx.tensor("hf_encoder.grad_x"), "grad x")
    }

    @Test func thePositionTableIsTransformers() throws {
        for (tokens, dimension) in [(12, 32), (24, 11)] {
            let table = SinusoidPositionTable(dimension: dimension)(tokens: tokens, dtype: .float32, device: .cpu)
            // Both round the same double-precision values to float32: at most one ulp apart.
            expectClose(table, try fx.tensor("sinusoid.\(tokens)x\(dimension)"), rtol: 0, atol: 2.4e-7)
        }
    }

    /// Eval logits and features, then one train-mode backward pass: the input gradient; returns the
    /// parameter gradients by Kinema's names.
    private func check(_ model: VisionTransformer, case name: String) throws -> [String: Tensor] {
        let x = try fx.tensor("x").to(.float64)
        let (logits, features) = withNoGrad { (model(x, mode: .eval), model.features(x, mode: .eval)) }
        expectClose(logits, try fx.tensor("\(name).eval_out"), "\(name) eval logits")
        expectClose(features, try fx.tensor("\(name).features"), "\(name) features")

        let leaf = x.copied().requiringGrad()
        model(leaf, mode: .train).backward(try fx.tensor("\(name).grad_out").to(.float64))
        expectClose(try #require(leaf.grad), try fx.tensor("\(name).grad_x"), "\(name) grad x")
        return Dictionary(uniqueKeysWithValues: model.namedParameters().compactMap { p in p.tensor.grad.map { (p.name, $0) } })
    }

    private func compare(_ gradients: [String: Tensor], with expected: [String: Tensor], case name: String) throws {
        #expect(!expected.isEmpty)
        for (key, value) in expected {
            expectClose(try #require(gradients[key], "no gradient for \(key)"), value, "\(name) grad of \(key)")
        }
    }
}
