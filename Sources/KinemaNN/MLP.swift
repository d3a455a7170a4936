/// The transformer feed-forward block as timm's `Mlp`: `fc1` → activation → dropout → `fc2` →
/// dropout, `[*, inFeatures]` → `[*, outFeatures]`. Registers `fc1.weight`, `fc1.bias`,
/// `fc2.weight`, `fc2.bias`, so timm ViT checkpoints (`blocks.0.mlp.fc1.weight`) load unchanged.
public final class MLP: Layer, Module {
    public let path: ParameterPath
    public let fc1: Linear
    public let activation: Activation
    public let fc2: Linear
    public let dropout: Dropout

    /// `hiddenFeatures` and `outFeatures` default to `inFeatures`, as in timm.
    public init(
        _ path: ParameterPath, inFeatures: Int, hiddenFeatures: Int? = nil, outFeatures: Int? = nil,
        activation: Activation = .gelu, bias: Bool = true, dropout: Double = 0, generator: Generator? = nil
    ) throws(ModuleError) {
        self.path = path
        fc1 = try Linear(path / "fc1", inFeatures: inFeatures, outFeatures: hiddenFeatures ?? inFeatures, bias: bias)
        self.activation = activation
        fc2 = try Linear(
            path / "fc2", inFeatures: hiddenFeatures ?? inFeatures, outFeatures: outFeatures ?? inFeatures, bias: bias)
        self.dropout = try Dropout(p: dropout, generator: generator)
    }

    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        let hidden = dropout(activation(fc1(input)), mode: mode)
        return dropout(fc2(hidden), mode: mode)
    }
}
