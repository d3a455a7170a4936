import KinemaNN

/// A pre-LN transformer block as VideoMAE's `Block`: `x + dropPath(γ₁·attn(norm1(x)))`, then
/// `x + dropPath(γ₂·mlp(norm2(x)))`, with LayerNorm eps 1e-6, a GELU MLP of `mlpHidden` hidden
/// units and, when `layerScale` is set (`init_values > 0`), the learnable per-channel scales
/// `gamma_1`, `gamma_2` (CaiT's layer scale) initialised to it. Keys: `norm1.*`, `attn.*`,
/// `norm2.*`, `mlp.fc1.*`, `mlp.fc2.*` and `gamma_1`, `gamma_2`.
final class TransformerBlock: Layer, Module {
    let path: ParameterPath
    let norm1: LayerNorm
    let attn: VideoMAEAttention
    let norm2: LayerNorm
    let mlp: MLP
    let gamma1: Tensor?
    let gamma2: Tensor?
    let dropPath: DropPath

    init(
        _ path: ParameterPath, dimension: Int, heads: Int, mlpHidden: Int, qkvBias: Bool, eps: Double,
        layerScale: Double?, dropPath: Double
    ) throws(ModuleError) {
        self.path = path
        norm1 = try LayerNorm(path / "norm1", normalizedShape: [dimension], eps: eps)
        attn = try VideoMAEAttention(path / "attn", dimension: dimension, heads: heads, qkvBias: qkvBias)
        norm2 = try LayerNorm(path / "norm2", normalizedShape: [dimension], eps: eps)
        mlp = try MLP(path / "mlp", inFeatures: dimension, hiddenFeatures: mlpHidden)
        let store = path.store
        if let layerScale {
            gamma1 = try path.parameter("gamma_1", Tensor.full([dimension], layerScale, dtype: store.dtype, device: store.device))
            gamma2 = try path.parameter("gamma_2", Tensor.full([dimension], layerScale, dtype: store.dtype, device: store.device))
        } else {
            (gamma1, gamma2) = (nil, nil)
        }
        self.dropPath = try DropPath(p: dropPath, generator: store.generator)
    }

    func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        func scaled(_ x: Tensor, _ gamma: Tensor?) -> Tensor { gamma.map { x * $0 } ?? x }
        let x = input + dropPath(scaled(attn(norm1(input)), gamma1), mode: mode)
        return x + dropPath(scaled(mlp(norm2(x), mode: mode), gamma2), mode: mode)
    }
}
