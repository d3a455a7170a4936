/// `nn.Linear`: `y = x·Wᵀ + b` over the last dimension, `[*, inFeatures]` → `[*, outFeatures]`.
///
/// Registers `weight` `[outFeatures, inFeatures]` and `bias` `[outFeatures]` under its path, with
/// PyTorch's default initialisation (U(±1/√inFeatures) for both).
public final class Linear: UnaryLayer, Module {
    public let path: ParameterPath
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ path: ParameterPath, inFeatures: Int, outFeatures: Int, bias: Bool = true) throws(ModuleError) {
        guard inFeatures >= 0, outFeatures >= 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "Linear at '\(path)' needs non-negative sizes, got \(inFeatures) → \(outFeatures)")
        }
        self.path = path
        weight = try path.parameter("weight", shape: [outFeatures, inFeatures])
        self.bias = bias ? try path.parameter("bias", shape: [outFeatures]) : nil
        Init.linearDefault(weight: weight, bias: self.bias, generator: path.store.generator)
    }

    public var inFeatures: Int { weight.size(1) }
    public var outFeatures: Int { weight.size(0) }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.linear(weight: weight, bias: bias)
    }
}
