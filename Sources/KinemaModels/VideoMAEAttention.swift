import KinemaNN

/// VideoMAE's multi-head self-attention (`Attention` in its `modeling_finetune.py`): one `qkv`
/// projection without bias plus learnable `q_bias` and `v_bias` (the key's bias is fixed at 0, as
/// in BEiT), the heads through ``scaledDotProductAttention(query:key:value:mask:dropout:causal:scale:)``,
/// then the output projection `proj`. Keys: `qkv.weight [3D, D]`, `q_bias [D]`, `v_bias [D]`,
/// `proj.weight`, `proj.bias`. `[N, L, D]` → `[N, L, D]`.
final class VideoMAEAttention: UnaryLayer, Module {
    let path: ParameterPath
    let heads: Int
    let qkv: Linear
    /// nil when built without query/value biases (`qkv_bias=False`).
    let queryBias: Tensor?
    let valueBias: Tensor?
    let proj: Linear

    init(_ path: ParameterPath, dimension: Int, heads: Int, qkvBias: Bool) throws(ModuleError) {
        guard heads > 0, dimension % heads == 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "attention at '\(path)': dimension \(dimension) must be divisible by the \(heads) heads")
        }
        self.path = path
        self.heads = heads
        qkv = try Linear(path / "qkv", inFeatures: dimension, outFeatures: 3 * dimension, bias: false)
        queryBias = qkvBias ? try path.parameter("q_bias", shape: [dimension]) : nil
        valueBias = qkvBias ? try path.parameter("v_bias", shape: [dimension]) : nil
        proj = try Linear(path / "proj", inFeatures: dimension, outFeatures: dimension)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let (n, l, d) = (x.size(0), x.size(1), x.size(2))
        let bias = queryBias.map { q in Tensor.cat([q, Tensor.zeros([d], dtype: q.dtype, device: q.device), valueBias!]) }
        // [N, L, 3D] → [3, N, H, L, D/H]: query, key and value, each split into heads. `unbind`, not
        // three `select`s: its backward stacks the three gradients in one pass, where each select's
        // backward fills a zero tensor of the whole [3, …] and autograd then adds the three (at
        // 2 × 1568 tokens and 6 heads, ~12 ms more a block on one thread: ~3 % of a ViT-S step).
        let qkv = x.linear(weight: qkv.weight, bias: bias).reshaped([n, l, 3, heads, d / heads]).permuted([2, 0, 3, 1, 4])
            .unbind(dim: 0)
        let attended = scaledDotProductAttention(query: qkv[0], key: qkv[1], value: qkv[2])
        return proj(attended.transposed(1, 2).reshaped([n, l, d]))
    }
}
