/// The layers `nn.Conv1d/2d/3d` and `nn.ConvTranspose1d/2d/3d` (zero padding only; PyTorch's
/// other `padding_mode`s are not supported). Each registers `weight` and, unless `bias: false`,
/// `bias` `[C_out]` under its path, initialised as PyTorch does (U(±1/√fan_in), fan_in =
/// `C_in/groups · ∏kernel` for convolutions and `C_out/groups · ∏kernel` for transposed ones).

/// A convolution over 1, 2 or 3 spatial dimensions; build one with ``Conv1d``, ``Conv2d`` or
/// ``Conv3d``. Input `[N, C_in, *spatial]` (or unbatched `[C_in, *spatial]`).
public class Convolution: UnaryLayer, Module {
    public let path: ParameterPath
    /// `[C_out, C_in/groups, *kernel]`.
    public let weight: Tensor
    /// `[C_out]`.
    public let bias: Tensor?
    public let stride: SpatialSize
    public let padding: ConvolutionPadding
    public let dilation: SpatialSize
    public let groups: Int
    let dimensions: Int

    init(
        _ path: ParameterPath, dimensions: Int, inChannels: Int, outChannels: Int, kernelSize: SpatialSize,
        stride: SpatialSize, padding: ConvolutionPadding, dilation: SpatialSize, groups: Int, bias: Bool
    ) throws(ModuleError) {
        let layer = "Conv\(dimensions)d at '\(path)'"
        try checkGroups(layer, path, inChannels: inChannels, outChannels: outChannels, groups: groups)
        let kernel = try expand(kernelSize, dimensions, "kernelSize", layer, path)
        if padding == .same, try expand(stride, dimensions, "stride", layer, path).contains(where: { $0 != 1 }) {
            throw ModuleError(
                .invalidConfiguration, path: path.name, "\(layer): padding .same needs stride 1, got stride \(stride)")
        }
        self.path = path
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.dimensions = dimensions
        weight = try path.parameter("weight", shape: [outChannels, inChannels / groups] + kernel)
        self.bias = bias ? try path.parameter("bias", shape: [outChannels]) : nil
        Init.linearDefault(weight: weight, bias: self.bias, generator: path.store.generator)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        switch dimensions {
        case 1: input.conv1d(weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        case 2: input.conv2d(weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        default: input.conv3d(weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
    }
}

/// `nn.Conv1d`: `[N, C_in, L]` → `[N, C_out, L_out]`.
public final class Conv1d: Convolution {
    public init(
        _ path: ParameterPath, inChannels: Int, outChannels: Int, kernelSize: SpatialSize, stride: SpatialSize = 1,
        padding: ConvolutionPadding = 0, dilation: SpatialSize = 1, groups: Int = 1, bias: Bool = true
    ) throws(ModuleError) {
        try super.init(
            path, dimensions: 1, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias)
    }
}

/// `nn.Conv2d`: `[N, C_in, H, W]` → `[N, C_out, H_out, W_out]`.
public final class Conv2d: Convolution {
    public init(
        _ path: ParameterPath, inChannels: Int, outChannels: Int, kernelSize: SpatialSize, stride: SpatialSize = 1,
        padding: ConvolutionPadding = 0, dilation: SpatialSize = 1, groups: Int = 1, bias: Bool = true
    ) throws(ModuleError) {
        try super.init(
            path, dimensions: 2, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias)
    }
}

/// `nn.Conv3d`: `[N, C_in, T, H, W]` → `[N, C_out, T_out, H_out, W_out]`.
public final class Conv3d: Convolution {
    public init(
        _ path: ParameterPath, inChannels: Int, outChannels: Int, kernelSize: SpatialSize, stride: SpatialSize = 1,
        padding: ConvolutionPadding = 0, dilation: SpatialSize = 1, groups: Int = 1, bias: Bool = true
    ) throws(ModuleError) {
        try super.init(
            path, dimensions: 3, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias)
    }
}

/// A transposed convolution (the gradient of a convolution, "deconvolution") over 1, 2 or 3
/// spatial dimensions; build one with ``ConvTranspose1d``, ``ConvTranspose2d`` or ``ConvTranspose3d``.
/// Each output size is `(in - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1`.
public class TransposedConvolution: UnaryLayer, Module {
    public let path: ParameterPath
    /// `[C_in, C_out/groups, *kernel]`.
    public let weight: Tensor
    /// `[C_out]`.
    public let bias: Tensor?
    public let stride: SpatialSize
    public let padding: SpatialSize
    public let outputPadding: SpatialSize
    public let dilation: SpatialSize
    public let groups: Int
    let dimensions: Int

    init(
        _ path: ParameterPath, dimensions: Int, inChannels: Int, outChannels: Int, kernelSize: SpatialSize,
        stride: SpatialSize, padding: SpatialSize, outputPadding: SpatialSize, groups: Int, bias: Bool,
        dilation: SpatialSize
    ) throws(ModuleError) {
        let layer = "ConvTranspose\(dimensions)d at '\(path)'"
        try checkGroups(layer, path, inChannels: inChannels, outChannels: outChannels, groups: groups)
        let kernel = try expand(kernelSize, dimensions, "kernelSize", layer, path)
        self.path = path
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
        self.dimensions = dimensions
        weight = try path.parameter("weight", shape: [inChannels, outChannels / groups] + kernel)
        self.bias = bias ? try path.parameter("bias", shape: [outChannels]) : nil
        Init.linearDefault(weight: weight, bias: self.bias, generator: path.store.generator)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        switch dimensions {
        case 1:
            input.convTranspose1d(
                weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                dilation: dilation)
        case 2:
            input.convTranspose2d(
                weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                dilation: dilation)
        default:
            input.convTranspose3d(
                weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                dilation: dilation)
        }
    }
}

/// `nn.ConvTranspose1d`: `[N, C_in, L]` → `[N, C_out, L_out]`.
public final class ConvTranspose1d: TransposedConvolution {
    public init(
        _ path: ParameterPath, inChannels: Int, outChannels: Int, kernelSize: SpatialSize, stride: SpatialSize = 1,
        padding: SpatialSize = 0, outputPadding: SpatialSize = 0, groups: Int = 1, bias: Bool = true,
        dilation: SpatialSize = 1
    ) throws(ModuleError) {
        try super.init(
            path, dimensions: 1, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, outputPadding: outputPadding, groups: groups, bias: bias,
            dilation: dilation)
    }
}

/// `nn.ConvTranspose2d`: `[N, C_in, H, W]` → `[N, C_out, H_out, W_out]`.
public final class ConvTranspose2d: TransposedConvolution {
    public init(
        _ path: ParameterPath, inChannels: Int, outChannels: Int, kernelSize: SpatialSize, stride: SpatialSize = 1,
        padding: SpatialSize = 0, outputPadding: SpatialSize = 0, groups: Int = 1, bias: Bool = true,
        dilation: SpatialSize = 1
    ) throws(ModuleError) {
        try super.init(
            path, dimensions: 2, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, outputPadding: outputPadding, groups: groups, bias: bias,
            dilation: dilation)
    }
}

/// `nn.ConvTranspose3d`: `[N, C_in, T, H, W]` → `[N, C_out, T_out, H_out, W_out]`.
public final class ConvTranspose3d: TransposedConvolution {
    public init(
        _ path: ParameterPath, inChannels: Int, outChannels: Int, kernelSize: SpatialSize, stride: SpatialSize = 1,
        padding: SpatialSize = 0, outputPadding: SpatialSize = 0, groups: Int = 1, bias: Bool = true,
        dilation: SpatialSize = 1
    ) throws(ModuleError) {
        try super.init(
            path, dimensions: 3, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, outputPadding: outputPadding, groups: groups, bias: bias,
            dilation: dilation)
    }
}

/// PyTorch's checks: positive groups dividing both channel counts.
private func checkGroups(
    _ layer: String, _ path: ParameterPath, inChannels: Int, outChannels: Int, groups: Int
) throws(ModuleError) {
    guard groups > 0, inChannels > 0, outChannels > 0, inChannels % groups == 0, outChannels % groups == 0 else {
        throw ModuleError(
            .invalidConfiguration, path: path.name,
            "\(layer): channels \(inChannels) → \(outChannels) must be positive and divisible by groups \(groups)")
    }
}

/// The per-dimension values of a window argument, as a construction error when the count is wrong.
private func expand(
    _ size: SpatialSize, _ dimensions: Int, _ name: String, _ layer: String, _ path: ParameterPath
) throws(ModuleError) -> [Int] {
    do {
        return try size.expanded(to: dimensions, name, op: layer)
    } catch {
        throw ModuleError(.invalidConfiguration, path: path.name, "\(layer): \(error.message)")
    }
}
