/// `nn.MultiheadAttention` (Vaswani et al. 2017), with PyTorch's parameter names and maths.
///
/// Registers `in_proj_weight` `[3E, E]` (the query, key and value projections stacked),
/// `in_proj_bias` `[3E]`, `out_proj.weight` `[E, E]` and `out_proj.bias` `[E]`, initialised as
/// PyTorch does (Xavier-uniform input projection, zero biases, default Linear output weight).
/// Query, key and value share the embedding size `E` (PyTorch's `kdim`/`vdim` are not supported).
///
/// Inputs are `[L, N, E]` (sequence first), or `[N, L, E]` with `batchFirst`; key and value have
/// the source length `S`. Attention dropout is applied in ``Mode/train`` only.
public final class MultiheadAttention: Layer, Module {
    public let path: ParameterPath
    public let embedDimension: Int
    public let headCount: Int
    /// Dropout probability on the attention weights (training only).
    public let dropout: Double
    public let batchFirst: Bool
    /// `[3E, E]`: rows `0..<E` project queries, `E..<2E` keys, `2E..<3E` values.
    public let inProjWeight: Tensor
    /// `[3E]`.
    public let inProjBias: Tensor?
    public let outProj: Linear
    /// Draws the dropout masks when the weights are returned; nil uses the default generator.
    public let generator: Generator?

    public init(
        _ path: ParameterPath, embedDimension: Int, headCount: Int, dropout: Double = 0, bias: Bool = true,
        batchFirst: Bool = false, generator: Generator? = nil
    ) throws(ModuleError) {
        guard embedDimension > 0, headCount > 0, embedDimension % headCount == 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "MultiheadAttention at '\(path)': embedDimension \(embedDimension) must be divisible by "
                    + "headCount \(headCount)"
            )
        }
        guard (0...1).contains(dropout) else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "MultiheadAttention at '\(path)': dropout \(dropout) is not in [0, 1]")
        }
        self.path = path
        self.embedDimension = embedDimension
        self.headCount = headCount
        self.dropout = dropout
        self.batchFirst = batchFirst
        self.generator = generator
        inProjWeight = try path.parameter("in_proj_weight", shape: [3 * embedDimension, embedDimension])
        inProjBias = bias ? try path.parameter("in_proj_bias", shape: [3 * embedDimension]) : nil
        // PyTorch's draw order: the output Linear initialises itself first, then _reset_parameters.
        outProj = try Linear(path / "out_proj", inFeatures: embedDimension, outFeatures: embedDimension, bias: bias)
        Init.xavierUniform(inProjWeight, generator: path.store.generator)
        if let outBias = outProj.bias { Init.constant(outBias, 0) }
    }

    /// Attends from `query` to `key`/`value`.
    ///
    /// - Parameters:
    ///   - keyPaddingMask: `[N, S]`; `true` (bool) marks keys to ignore, a float mask is added.
    ///   - attentionMask: `[L, S]` or `[N·H, L, S]`; `true` (bool) forbids a position, a float mask is added.
    ///   - needWeights: Also return the attention weights (then computed explicitly, as PyTorch
    ///     does; otherwise the fused `scaled_dot_product_attention` runs).
    ///   - averageWeights: Average the returned weights over heads: `[N, L, S]`, else `[N, H, L, S]`.
    /// - Returns: The output in the input's layout, and the weights when asked for.
    public func callAsFunction(
        query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor? = nil, needWeights: Bool = true,
        attentionMask: Tensor? = nil, averageWeights: Bool = true, mode: Mode
    ) -> (output: Tensor, weights: Tensor?) {
        precondition(
            query.rank == 3 && key.rank == 3 && value.rank == 3,
            "MultiheadAttention at '\(path)' expects batched 3-D query, key and value, got \(query.summary), "
                + "\(key.summary), \(value.summary)")
        let selfAttention = query.isSameTensor(as: key) && key.isSameTensor(as: value)
        let (q0, k0, v0) =
            batchFirst
            ? (query.transposed(0, 1), key.transposed(0, 1), value.transposed(0, 1)) : (query, key, value)
        let (L, N, E, S) = (q0.size(0), q0.size(1), embedDimension, k0.size(0))
        let (H, headDim) = (headCount, embedDimension / headCount)

        let (q, k, v) = project(q0, k0, v0, selfAttention: selfAttention)
        // [L, N, E] → [N·H, L, headDim]: every (sample, head) pair becomes one batch entry.
        let heads = { (x: Tensor, length: Int) in x.reshaped([length, N * H, headDim]).transposed(0, 1) }
        let (qh, kh, vh) = (heads(q, L), heads(k, S), heads(v, S))
        let mask = combinedMask(attentionMask, keyPaddingMask, dtype: q.dtype, batch: N, queries: L, keys: S)
        let p = mode == .train ? dropout : 0

        let attended: Tensor
        var weights: Tensor?
        if needWeights {
            var scores = (qh * (1 / Double(headDim)).squareRoot()).bmm(kh.transposed(1, 2))
            if let mask { scores = mask + scores }
            var attention = scores.softmax(dim: -1)
            if p > 0 { attention = attention.dropout(p: p, training: true, generator: generator) }
            attended = attention.bmm(vh).transposed(0, 1).contiguous().reshaped([L * N, E])
            let perHead = attention.reshaped([N, H, L, S])
            weights = averageWeights ? perHead.mean(dims: [1]) : perHead
        } else {
            let sdpaMask = mask.map { $0.size(0) == 1 ? $0.unsqueezed(0) : $0.reshaped([N, H, -1, S]) }
            let output = scaledDotProductAttention(
                query: qh.reshaped([N, H, L, headDim]), key: kh.reshaped([N, H, S, headDim]),
                value: vh.reshaped([N, H, S, headDim]), mask: sdpaMask, dropout: p)
            attended = output.permuted([2, 0, 1, 3]).contiguous().reshaped([L * N, E])
        }
        let output = outProj(attended).reshaped([L, N, E])
        return (batchFirst ? output.transposed(0, 1) : output, weights)
    }

    /// Self-attention `x → x`: the same tensor as query, key and value.
    public func callAsFunction(_ x: Tensor, mode: Mode) -> Tensor {
        self(query: x, key: x, value: x, needWeights: false, mode: mode).output
    }

    /// The input projections; one packed matrix product when query, key and value are one tensor.
    private func project(_ q: Tensor, _ k: Tensor, _ v: Tensor, selfAttention: Bool) -> (Tensor, Tensor, Tensor) {
        if selfAttention {
            let qkv = q.linear(weight: inProjWeight, bias: inProjBias).chunked(3, dim: -1)
            return (qkv[0], qkv[1], qkv[2])
        }
        let w = inProjWeight.chunked(3, dim: 0)
        let b = inProjBias?.chunked(3, dim: 0)
        return (
            q.linear(weight: w[0], bias: b?[0]), k.linear(weight: w[1], bias: b?[1]),
            v.linear(weight: w[2], bias: b?[2])
        )
    }

    /// The additive mask `[1 or N·H, L or 1, S]`: boolean masks become -∞ where true, and the key
    /// padding mask is broadcast over heads and queries (PyTorch's `_canonical_mask` and merge).
    private func combinedMask(
        _ attentionMask: Tensor?, _ keyPaddingMask: Tensor?, dtype: DType, batch n: Int, queries l: Int, keys s: Int
    ) -> Tensor? {
        func additive(_ mask: Tensor) -> Tensor {
            guard mask.dtype == .bool else { return mask }
            return Tensor.zeros(mask.shape, dtype: dtype, device: mask.device).masked(
                fill: mask, with: -Double.infinity)
        }
        var mask = attentionMask.map { m -> Tensor in
            precondition(
                m.shape == [l, s] || m.shape == [n * headCount, l, s],
                "MultiheadAttention at '\(path)': attentionMask must be [\(l), \(s)] or "
                    + "[\(n * headCount), \(l), \(s)], got \(m.summary)")
            return m.rank == 2 ? additive(m).unsqueezed(0) : additive(m)
        }
        if let keyPaddingMask {
            precondition(
                keyPaddingMask.shape == [n, s],
                "MultiheadAttention at '\(path)': keyPaddingMask must be [\(n), \(s)], got \(keyPaddingMask.summary)")
            let padding = additive(keyPaddingMask).reshaped([n, 1, 1, s]).expanded(to: [n, headCount, 1, s])
                .reshaped([n * headCount, 1, s])
            mask = mask.map { $0 + padding } ?? padding
        }
        return mask
    }
}
