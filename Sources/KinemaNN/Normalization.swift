/// `nn.LayerNorm` (Ba et al. 2016): normalizes over the trailing `normalizedShape` dimensions
/// (e.g. the channels of tokens `[N, L, C]`), then applies the element-wise affine `weight`
/// (initially 1) and `bias` (initially 0), both of shape `normalizedShape`.
public final class LayerNorm: UnaryLayer, Module {
    public let path: ParameterPath
    public let normalizedShape: [Int]
    public let weight: Tensor?
    public let bias: Tensor?
    public let eps: Double

    /// `elementwiseAffine: false` registers neither tensor; `bias: false` only the weight.
    public init(
        _ path: ParameterPath, normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true,
        bias: Bool = true
    ) throws(ModuleError) {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }) else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "LayerNorm at '\(path)' needs a non-empty positive normalizedShape, got \(normalizedShape)")
        }
        self.path = path
        self.normalizedShape = normalizedShape
        self.eps = eps
        let store = path.store
        weight =
            elementwiseAffine
            ? try path.parameter("weight", Tensor.ones(normalizedShape, dtype: store.dtype, device: store.device)) : nil
        self.bias = elementwiseAffine && bias ? try path.parameter("bias", shape: normalizedShape) : nil
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.layerNorm(normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }
}

/// `nn.GroupNorm` (Wu & He 2018): splits the `channels` of `[N, C, *]` into `groups` groups,
/// normalizes each over its channels and positions, then applies the per-channel affine
/// `weight` (initially 1) and `bias` (initially 0), both `[C]`. The same in training and evaluation.
public final class GroupNorm: UnaryLayer, Module {
    public let path: ParameterPath
    public let groups: Int
    public let weight: Tensor?
    public let bias: Tensor?
    public let eps: Double

    public init(_ path: ParameterPath, groups: Int, channels: Int, eps: Double = 1e-5, affine: Bool = true)
        throws(ModuleError)
    {
        guard groups > 0, channels > 0, channels % groups == 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "GroupNorm at '\(path)': channels \(channels) must be divisible by groups \(groups)")
        }
        self.path = path
        self.groups = groups
        self.eps = eps
        let store = path.store
        weight =
            affine
            ? try path.parameter("weight", Tensor.ones([channels], dtype: store.dtype, device: store.device)) : nil
        bias = affine ? try path.parameter("bias", shape: [channels]) : nil
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.groupNorm(groups: groups, weight: weight, bias: bias, eps: eps)
    }
}
