/// `F.scaled_dot_product_attention`: `softmax(q·kᵀ·scale + mask)·v`, through libtorch's fused
/// kernels (flash or memory-efficient attention where the device and shapes allow, the maths
/// fallback otherwise), never a hand-written softmax of the scores.
///
/// `query` is `[N, H, L, E]`, `key` `[N, H, S, E]` and `value` `[N, H, S, Ev]` (any leading batch
/// dimensions); the result is `[N, H, L, Ev]`. A boolean `mask` (broadcastable to `[N, H, L, S]`)
/// keeps the positions that are `true`, a float one is added to the scores. `dropout` drops
/// attention weights (pass 0 outside training). `scale` defaults to `1/√E`.
public func scaledDotProductAttention(
    query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil, dropout: Double = 0, causal: Bool = false,
    scale: Double? = nil
) -> Tensor {
    orTrap {
        try TorchOp.scaledDotProductAttention.call(
            .tensor(query), .tensor(key), .tensor(value), .optionalTensor(mask), .double(dropout), .bool(causal),
            scale.map { .double($0) } ?? .none)
    }
}

extension TorchOp {
    static let scaledDotProductAttention = TorchOp("aten::scaled_dot_product_attention")
}
