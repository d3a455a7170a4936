// Convolutions (torch.nn.functional.conv*d, conv_transpose*d) and the window arguments that
// convolution, pooling and im2col share.

extension TorchOp {
    static let conv1d = TorchOp("aten::conv1d")
    static let conv2d = TorchOp("aten::conv2d")
    static let conv3d = TorchOp("aten::conv3d")
    static let conv1dPadding = TorchOp("aten::conv1d", "padding")
    static let conv2dPadding = TorchOp("aten::conv2d", "padding")
    static let conv3dPadding = TorchOp("aten::conv3d", "padding")
    static let convTranspose1d = TorchOp("aten::conv_transpose1d")
    static let convTranspose2d = TorchOp("aten::conv_transpose2d", "input")
    static let convTranspose3d = TorchOp("aten::conv_transpose3d", "input")
}

// MARK: - Window arguments

/// One integer per spatial dimension of a window operation (kernel size, stride, padding,
/// dilation, output size), written as in PyTorch's `int | tuple`: the literal `3` means 3 in every
/// spatial dimension, `[1, 3, 3]` gives one value per dimension.
///
/// ```swift
/// x.conv3d(w, stride: [1, 2, 2], padding: 1)
/// ```
public struct SpatialSize: Hashable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    /// One value (repeated for every dimension) or one value per dimension.
    public var values: [Int]

    public init(_ values: [Int]) { self.values = values }
    /// The same value in every spatial dimension.
    public init(_ value: Int) { self.values = [value] }
    public init(integerLiteral value: Int) { self.values = [value] }
    public init(arrayLiteral elements: Int...) { self.values = elements }

    public var description: String { values.count == 1 ? "\(values[0])" : "\(values)" }

    /// The values for `dimensions` spatial dimensions (a single value repeats); throws when the
    /// count fits neither. `name` and `op` make the message say which argument was wrong.
    package func expanded(to dimensions: Int, _ name: String, op: String) throws(TorchError) -> [Int] {
        if values.count == dimensions { return values }
        if values.count == 1 { return Array(repeating: values[0], count: dimensions) }
        throw TorchError(
            code: .argument, op: op,
            message: "\(name) must have 1 or \(dimensions) values for \(dimensions) spatial dimension(s), got \(values)"
        )
    }
}

/// How a convolution pads its input: explicit zero padding per side, or PyTorch's `"same"` and
/// `"valid"` strings. Integer and array literals mean ``explicit(_:)``.
public enum ConvolutionPadding: Hashable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// Zeros added on both sides of every spatial dimension.
    case explicit(SpatialSize)
    /// Pads so the output has the input's spatial size (`padding="same"`; stride must be 1).
    /// Odd total padding puts the extra zero on the right, as PyTorch does.
    case same
    /// No padding (`padding="valid"`, the same as 0).
    case valid

    public init(integerLiteral value: Int) { self = .explicit(SpatialSize(value)) }
    public init(arrayLiteral elements: Int...) { self = .explicit(SpatialSize(elements)) }
}

// MARK: - Convolution

extension Tensor.Checked {
    /// `F.conv1d`: input `[N, C_in, L]` (or unbatched `[C_in, L]`), weight `[C_out, C_in/groups, k]`,
    /// bias `[C_out]`; output `[N, C_out, L_out]`.
    public func conv1d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: ConvolutionPadding = 0,
        dilation: SpatialSize = 1, groups: Int = 1
    ) throws(TorchError) -> Tensor {
        try convolution(1, weight, bias, stride, padding, dilation, groups)
    }

    /// `F.conv2d`: input `[N, C_in, H, W]` (or unbatched `[C_in, H, W]`), weight
    /// `[C_out, C_in/groups, kH, kW]`, bias `[C_out]`; output `[N, C_out, H_out, W_out]`.
    public func conv2d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: ConvolutionPadding = 0,
        dilation: SpatialSize = 1, groups: Int = 1
    ) throws(TorchError) -> Tensor {
        try convolution(2, weight, bias, stride, padding, dilation, groups)
    }

    /// `F.conv3d`: input `[N, C_in, T, H, W]` (or unbatched `[C_in, T, H, W]`), weight
    /// `[C_out, C_in/groups, kT, kH, kW]`, bias `[C_out]`; output `[N, C_out, T_out, H_out, W_out]`.
    public func conv3d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: ConvolutionPadding = 0,
        dilation: SpatialSize = 1, groups: Int = 1
    ) throws(TorchError) -> Tensor {
        try convolution(3, weight, bias, stride, padding, dilation, groups)
    }

    private func convolution(
        _ dims: Int, _ weight: Tensor, _ bias: Tensor?, _ stride: SpatialSize, _ padding: ConvolutionPadding,
        _ dilation: SpatialSize, _ groups: Int
    ) throws(TorchError) -> Tensor {
        let explicitOp: TorchOp = [.conv1d, .conv2d, .conv3d][dims - 1]
        let stringOp: TorchOp = [.conv1dPadding, .conv2dPadding, .conv3dPadding][dims - 1]
        let stride = try stride.expanded(to: dims, "stride", op: explicitOp.name)
        let dilation = try dilation.expanded(to: dims, "dilation", op: explicitOp.name)
        let head: [TorchArgument] = [.tensor(base), .tensor(weight), .optionalTensor(bias), .ints(stride)]
        switch padding {
        case .explicit(let size):
            let padding = try size.expanded(to: dims, "padding", op: explicitOp.name)
            return try explicitOp.call(arguments: head + [.ints(padding), .ints(dilation), .int(groups)])
        case .same:
            return try stringOp.call(arguments: head + [.string("same"), .ints(dilation), .int(groups)])
        case .valid:
            return try stringOp.call(arguments: head + [.string("valid"), .ints(dilation), .int(groups)])
        }
    }

    /// `F.conv_transpose1d`: input `[N, C_in, L]`, weight `[C_in, C_out/groups, k]`, bias `[C_out]`;
    /// output length `(L - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1`.
    public func convTranspose1d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: SpatialSize = 0,
        outputPadding: SpatialSize = 0, groups: Int = 1, dilation: SpatialSize = 1
    ) throws(TorchError) -> Tensor {
        try transposedConvolution(1, weight, bias, stride, padding, outputPadding, groups, dilation)
    }

    /// `F.conv_transpose2d`: input `[N, C_in, H, W]`, weight `[C_in, C_out/groups, kH, kW]`, bias
    /// `[C_out]`; each output size is `(in - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1`.
    public func convTranspose2d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: SpatialSize = 0,
        outputPadding: SpatialSize = 0, groups: Int = 1, dilation: SpatialSize = 1
    ) throws(TorchError) -> Tensor {
        try transposedConvolution(2, weight, bias, stride, padding, outputPadding, groups, dilation)
    }

    /// `F.conv_transpose3d`: input `[N, C_in, T, H, W]`, weight `[C_in, C_out/groups, kT, kH, kW]`,
    /// bias `[C_out]`; sizes as in ``convTranspose2d(_:bias:stride:padding:outputPadding:groups:dilation:)``.
    public func convTranspose3d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: SpatialSize = 0,
        outputPadding: SpatialSize = 0, groups: Int = 1, dilation: SpatialSize = 1
    ) throws(TorchError) -> Tensor {
        try transposedConvolution(3, weight, bias, stride, padding, outputPadding, groups, dilation)
    }

    private func transposedConvolution(
        _ dims: Int, _ weight: Tensor, _ bias: Tensor?, _ stride: SpatialSize, _ padding: SpatialSize,
        _ outputPadding: SpatialSize, _ groups: Int, _ dilation: SpatialSize
    ) throws(TorchError) -> Tensor {
        let op: TorchOp = [.convTranspose1d, .convTranspose2d, .convTranspose3d][dims - 1]
        return try op.call(
            .tensor(base), .tensor(weight), .optionalTensor(bias),
            .ints(try stride.expanded(to: dims, "stride", op: op.name)),
            .ints(try padding.expanded(to: dims, "padding", op: op.name)),
            .ints(try outputPadding.expanded(to: dims, "outputPadding", op: op.name)),
            .int(groups),
            .ints(try dilation.expanded(to: dims, "dilation", op: op.name)))
    }
}

extension Tensor {
    /// `F.conv1d`; see ``Tensor/Checked/conv1d(_:bias:stride:padding:dilation:groups:)`` for shapes.
    public func conv1d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: ConvolutionPadding = 0,
        dilation: SpatialSize = 1, groups: Int = 1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.conv1d(weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
    }

    /// `F.conv2d`; see ``Tensor/Checked/conv2d(_:bias:stride:padding:dilation:groups:)`` for shapes.
    public func conv2d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: ConvolutionPadding = 0,
        dilation: SpatialSize = 1, groups: Int = 1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.conv2d(weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
    }

    /// `F.conv3d`; see ``Tensor/Checked/conv3d(_:bias:stride:padding:dilation:groups:)`` for shapes.
    public func conv3d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: ConvolutionPadding = 0,
        dilation: SpatialSize = 1, groups: Int = 1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.conv3d(weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
    }

    /// `F.conv_transpose1d`; see the ``Tensor/Checked`` twin for shapes.
    public func convTranspose1d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: SpatialSize = 0,
        outputPadding: SpatialSize = 0, groups: Int = 1, dilation: SpatialSize = 1,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.convTranspose1d(
                weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                dilation: dilation)
        }
    }

    /// `F.conv_transpose2d`; see the ``Tensor/Checked`` twin for shapes.
    public func convTranspose2d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: SpatialSize = 0,
        outputPadding: SpatialSize = 0, groups: Int = 1, dilation: SpatialSize = 1,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.convTranspose2d(
                weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                dilation: dilation)
        }
    }

    /// `F.conv_transpose3d`; see the ``Tensor/Checked`` twin for shapes.
    public func convTranspose3d(
        _ weight: Tensor, bias: Tensor? = nil, stride: SpatialSize = 1, padding: SpatialSize = 0,
        outputPadding: SpatialSize = 0, groups: Int = 1, dilation: SpatialSize = 1,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.convTranspose3d(
                weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, groups: groups,
                dilation: dilation)
        }
    }
}
