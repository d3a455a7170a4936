// Pooling (torch.nn.functional.max_pool*d, avg_pool*d, adaptive_*_pool*d). Inputs are batched
// `[N, C, *spatial]` or unbatched `[C, *spatial]`; a stride of nil means the kernel size, as in PyTorch.

extension TorchOp {
    static let maxPool1d = TorchOp("aten::max_pool1d")
    static let maxPool2d = TorchOp("aten::max_pool2d")
    static let maxPool3d = TorchOp("aten::max_pool3d")
    static let maxPool1dWithIndices = TorchOp("aten::max_pool1d_with_indices")
    static let maxPool2dWithIndices = TorchOp("aten::max_pool2d_with_indices")
    static let maxPool3dWithIndices = TorchOp("aten::max_pool3d_with_indices")
    static let avgPool1d = TorchOp("aten::avg_pool1d")
    static let avgPool2d = TorchOp("aten::avg_pool2d")
    static let avgPool3d = TorchOp("aten::avg_pool3d")
    static let adaptiveAvgPool1d = TorchOp("aten::adaptive_avg_pool1d")
    static let adaptiveAvgPool2d = TorchOp("aten::adaptive_avg_pool2d")
    static let adaptiveAvgPool3d = TorchOp("aten::adaptive_avg_pool3d")
    static let adaptiveMaxPool2d = TorchOp("aten::adaptive_max_pool2d")
    static let adaptiveMaxPool3d = TorchOp("aten::adaptive_max_pool3d")
}

/// Values of a max pooling with the flat index (within each input plane) where each came from,
/// as `return_indices=True` gives them (int64, the values' shape).
public typealias PoolingResult = (values: Tensor, indices: Tensor)

// MARK: - Max pooling

extension Tensor.Checked {
    /// `F.max_pool1d`: `[N, C, L]` → `[N, C, L_out]`.
    public func maxPool1d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false
    ) throws(TorchError) -> Tensor {
        try TorchOp.maxPool1d.call(
            arguments: try maxPoolArguments(1, .maxPool1d, kernelSize, stride, padding, dilation, ceilMode))
    }

    /// `F.max_pool2d`: `[N, C, H, W]` → `[N, C, H_out, W_out]`, where
    /// `out = ⌊(in + 2·padding - dilation·(k - 1) - 1) / stride⌋ + 1` (⌈⌉ with `ceilMode`).
    public func maxPool2d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false
    ) throws(TorchError) -> Tensor {
        try TorchOp.maxPool2d.call(
            arguments: try maxPoolArguments(2, .maxPool2d, kernelSize, stride, padding, dilation, ceilMode))
    }

    /// `F.max_pool3d`: `[N, C, T, H, W]` → `[N, C, T_out, H_out, W_out]`.
    public func maxPool3d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false
    ) throws(TorchError) -> Tensor {
        try TorchOp.maxPool3d.call(
            arguments: try maxPoolArguments(3, .maxPool3d, kernelSize, stride, padding, dilation, ceilMode))
    }

    /// `F.max_pool1d(..., return_indices=True)`.
    public func maxPool1dWithIndices(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false
    ) throws(TorchError) -> PoolingResult {
        try pair(
            .maxPool1dWithIndices,
            try maxPoolArguments(1, .maxPool1dWithIndices, kernelSize, stride, padding, dilation, ceilMode))
    }

    /// `F.max_pool2d(..., return_indices=True)`: indices are flat positions in each `H·W` plane.
    public func maxPool2dWithIndices(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false
    ) throws(TorchError) -> PoolingResult {
        try pair(
            .maxPool2dWithIndices,
            try maxPoolArguments(2, .maxPool2dWithIndices, kernelSize, stride, padding, dilation, ceilMode))
    }

    /// `F.max_pool3d(..., return_indices=True)`: indices are flat positions in each `T·H·W` volume.
    public func maxPool3dWithIndices(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false
    ) throws(TorchError) -> PoolingResult {
        try pair(
            .maxPool3dWithIndices,
            try maxPoolArguments(3, .maxPool3dWithIndices, kernelSize, stride, padding, dilation, ceilMode))
    }

    private func maxPoolArguments(
        _ dims: Int, _ op: TorchOp, _ kernelSize: SpatialSize, _ stride: SpatialSize?, _ padding: SpatialSize,
        _ dilation: SpatialSize, _ ceilMode: Bool
    ) throws(TorchError) -> [TorchArgument] {
        let kernel = try kernelSize.expanded(to: dims, "kernelSize", op: op.name)
        return [
            .tensor(base), .ints(kernel), .ints(try stride?.expanded(to: dims, "stride", op: op.name) ?? kernel),
            .ints(try padding.expanded(to: dims, "padding", op: op.name)),
            .ints(try dilation.expanded(to: dims, "dilation", op: op.name)), .bool(ceilMode),
        ]
    }

    private func pair(_ op: TorchOp, _ arguments: [TorchArgument]) throws(TorchError) -> PoolingResult {
        try op.call(arguments: arguments) { r throws(TorchError) in (try r.definedTensor(0), try r.definedTensor(1)) }
    }
}

// MARK: - Average pooling

extension Tensor.Checked {
    /// `F.avg_pool1d`: `[N, C, L]` → `[N, C, L_out]`. `countIncludePad` counts padded zeros in the
    /// divisor (PyTorch's default).
    public func avgPool1d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, ceilMode: Bool = false,
        countIncludePad: Bool = true
    ) throws(TorchError) -> Tensor {
        try TorchOp.avgPool1d.call(
            arguments: try avgPoolArguments(1, .avgPool1d, kernelSize, stride, padding, ceilMode, countIncludePad))
    }

    /// `F.avg_pool2d`: `[N, C, H, W]` → `[N, C, H_out, W_out]`; `divisorOverride` replaces the
    /// window size as divisor.
    public func avgPool2d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, ceilMode: Bool = false,
        countIncludePad: Bool = true, divisorOverride: Int? = nil
    ) throws(TorchError) -> Tensor {
        try TorchOp.avgPool2d.call(
            arguments: try avgPoolArguments(2, .avgPool2d, kernelSize, stride, padding, ceilMode, countIncludePad)
                + [divisorOverride.map { .int($0) } ?? .none])
    }

    /// `F.avg_pool3d`: `[N, C, T, H, W]` → `[N, C, T_out, H_out, W_out]`.
    public func avgPool3d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, ceilMode: Bool = false,
        countIncludePad: Bool = true, divisorOverride: Int? = nil
    ) throws(TorchError) -> Tensor {
        try TorchOp.avgPool3d.call(
            arguments: try avgPoolArguments(3, .avgPool3d, kernelSize, stride, padding, ceilMode, countIncludePad)
                + [divisorOverride.map { .int($0) } ?? .none])
    }

    private func avgPoolArguments(
        _ dims: Int, _ op: TorchOp, _ kernelSize: SpatialSize, _ stride: SpatialSize?, _ padding: SpatialSize,
        _ ceilMode: Bool, _ countIncludePad: Bool
    ) throws(TorchError) -> [TorchArgument] {
        let kernel = try kernelSize.expanded(to: dims, "kernelSize", op: op.name)
        return [
            .tensor(base), .ints(kernel), .ints(try stride?.expanded(to: dims, "stride", op: op.name) ?? kernel),
            .ints(try padding.expanded(to: dims, "padding", op: op.name)), .bool(ceilMode), .bool(countIncludePad),
        ]
    }
}

// MARK: - Adaptive pooling

extension Tensor.Checked {
    /// `F.adaptive_avg_pool1d`: `[N, C, L]` → `[N, C, outputSize]`.
    public func adaptiveAvgPool1d(outputSize: SpatialSize) throws(TorchError) -> Tensor {
        try TorchOp.adaptiveAvgPool1d.call(
            .tensor(base), .ints(try outputSize.expanded(to: 1, "outputSize", op: TorchOp.adaptiveAvgPool1d.name)))
    }

    /// `F.adaptive_avg_pool2d`: `[N, C, H, W]` → `[N, C, oH, oW]` (`outputSize: 1` is global pooling).
    public func adaptiveAvgPool2d(outputSize: SpatialSize) throws(TorchError) -> Tensor {
        try TorchOp.adaptiveAvgPool2d.call(
            .tensor(base), .ints(try outputSize.expanded(to: 2, "outputSize", op: TorchOp.adaptiveAvgPool2d.name)))
    }

    /// `F.adaptive_avg_pool3d`: `[N, C, T, H, W]` → `[N, C, oT, oH, oW]`.
    public func adaptiveAvgPool3d(outputSize: SpatialSize) throws(TorchError) -> Tensor {
        try TorchOp.adaptiveAvgPool3d.call(
            .tensor(base), .ints(try outputSize.expanded(to: 3, "outputSize", op: TorchOp.adaptiveAvgPool3d.name)))
    }

    /// `F.adaptive_max_pool2d(..., return_indices=True)`: `[N, C, H, W]` → `[N, C, oH, oW]` twice.
    public func adaptiveMaxPool2dWithIndices(outputSize: SpatialSize) throws(TorchError) -> PoolingResult {
        let op = TorchOp.adaptiveMaxPool2d
        return try pair(op, [.tensor(base), .ints(try outputSize.expanded(to: 2, "outputSize", op: op.name))])
    }

    /// `F.adaptive_max_pool3d(..., return_indices=True)`: `[N, C, T, H, W]` → `[N, C, oT, oH, oW]` twice.
    public func adaptiveMaxPool3dWithIndices(outputSize: SpatialSize) throws(TorchError) -> PoolingResult {
        let op = TorchOp.adaptiveMaxPool3d
        return try pair(op, [.tensor(base), .ints(try outputSize.expanded(to: 3, "outputSize", op: op.name))])
    }

    /// `F.adaptive_max_pool2d`.
    public func adaptiveMaxPool2d(outputSize: SpatialSize) throws(TorchError) -> Tensor {
        try adaptiveMaxPool2dWithIndices(outputSize: outputSize).values
    }

    /// `F.adaptive_max_pool3d`.
    public func adaptiveMaxPool3d(outputSize: SpatialSize) throws(TorchError) -> Tensor {
        try adaptiveMaxPool3dWithIndices(outputSize: outputSize).values
    }
}

// MARK: - Trapping surface

extension Tensor {
    /// `F.max_pool1d`; see ``Tensor/Checked/maxPool1d(kernelSize:stride:padding:dilation:ceilMode:)``.
    public func maxPool1d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.maxPool1d(
                kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        }
    }

    /// `F.max_pool2d`; see ``Tensor/Checked/maxPool2d(kernelSize:stride:padding:dilation:ceilMode:)``.
    public func maxPool2d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.maxPool2d(
                kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        }
    }

    /// `F.max_pool3d`; see ``Tensor/Checked/maxPool3d(kernelSize:stride:padding:dilation:ceilMode:)``.
    public func maxPool3d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.maxPool3d(
                kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        }
    }

    /// `F.max_pool1d(..., return_indices=True)`.
    public func maxPool1dWithIndices(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> PoolingResult {
        orTrap(file: file, line: line) {
            try checked.maxPool1dWithIndices(
                kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        }
    }

    /// `F.max_pool2d(..., return_indices=True)`.
    public func maxPool2dWithIndices(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> PoolingResult {
        orTrap(file: file, line: line) {
            try checked.maxPool2dWithIndices(
                kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        }
    }

    /// `F.max_pool3d(..., return_indices=True)`.
    public func maxPool3dWithIndices(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, dilation: SpatialSize = 1,
        ceilMode: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> PoolingResult {
        orTrap(file: file, line: line) {
            try checked.maxPool3dWithIndices(
                kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
        }
    }

    /// `F.avg_pool1d`; see ``Tensor/Checked/avgPool1d(kernelSize:stride:padding:ceilMode:countIncludePad:)``.
    public func avgPool1d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, ceilMode: Bool = false,
        countIncludePad: Bool = true, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.avgPool1d(
                kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                countIncludePad: countIncludePad)
        }
    }

    /// `F.avg_pool2d`; see the ``Tensor/Checked`` twin.
    public func avgPool2d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, ceilMode: Bool = false,
        countIncludePad: Bool = true, divisorOverride: Int? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.avgPool2d(
                kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                countIncludePad: countIncludePad, divisorOverride: divisorOverride)
        }
    }

    /// `F.avg_pool3d`; see the ``Tensor/Checked`` twin.
    public func avgPool3d(
        kernelSize: SpatialSize, stride: SpatialSize? = nil, padding: SpatialSize = 0, ceilMode: Bool = false,
        countIncludePad: Bool = true, divisorOverride: Int? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.avgPool3d(
                kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                countIncludePad: countIncludePad, divisorOverride: divisorOverride)
        }
    }

    /// `F.adaptive_avg_pool1d`.
    public func adaptiveAvgPool1d(
        outputSize: SpatialSize, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.adaptiveAvgPool1d(outputSize: outputSize) }
    }
    /// `F.adaptive_avg_pool2d` (`outputSize: 1` is global average pooling).
    public func adaptiveAvgPool2d(
        outputSize: SpatialSize, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.adaptiveAvgPool2d(outputSize: outputSize) }
    }
    /// `F.adaptive_avg_pool3d` (`outputSize: 1` is global average pooling).
    public func adaptiveAvgPool3d(
        outputSize: SpatialSize, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.adaptiveAvgPool3d(outputSize: outputSize) }
    }
    /// `F.adaptive_max_pool2d`.
    public func adaptiveMaxPool2d(
        outputSize: SpatialSize, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.adaptiveMaxPool2d(outputSize: outputSize) }
    }
    /// `F.adaptive_max_pool3d`.
    public func adaptiveMaxPool3d(
        outputSize: SpatialSize, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.adaptiveMaxPool3d(outputSize: outputSize) }
    }
    /// `F.adaptive_max_pool2d(..., return_indices=True)`.
    public func adaptiveMaxPool2dWithIndices(
        outputSize: SpatialSize, file: StaticString = #fileID, line: UInt = #line
    ) -> PoolingResult {
        orTrap(file: file, line: line) { try checked.adaptiveMaxPool2dWithIndices(outputSize: outputSize) }
    }
    /// `F.adaptive_max_pool3d(..., return_indices=True)`.
    public func adaptiveMaxPool3dWithIndices(
        outputSize: SpatialSize, file: StaticString = #fileID, line: UInt = #line
    ) -> PoolingResult {
        orTrap(file: file, line: line) { try checked.adaptiveMaxPool3dWithIndices(outputSize: outputSize) }
    }
}
