// Resampling (torch.nn.functional.interpolate, grid_sample, pixel_shuffle, unfold/fold).

extension TorchOp {
    static let upsampleNearest1d = TorchOp("aten::upsample_nearest1d", "vec")
    static let upsampleNearest2d = TorchOp("aten::upsample_nearest2d", "vec")
    static let upsampleNearest3d = TorchOp("aten::upsample_nearest3d", "vec")
    static let upsampleNearestExact1d = TorchOp("aten::_upsample_nearest_exact1d", "vec")
    static let upsampleNearestExact2d = TorchOp("aten::_upsample_nearest_exact2d", "vec")
    static let upsampleNearestExact3d = TorchOp("aten::_upsample_nearest_exact3d", "vec")
    static let upsampleLinear1d = TorchOp("aten::upsample_linear1d", "vec")
    static let upsampleBilinear2d = TorchOp("aten::upsample_bilinear2d", "vec")
    static let upsampleBicubic2d = TorchOp("aten::upsample_bicubic2d", "vec")
    static let upsampleTrilinear3d = TorchOp("aten::upsample_trilinear3d", "vec")
    static let gridSampler = TorchOp("aten::grid_sampler")
    static let pixelShuffle = TorchOp("aten::pixel_shuffle")
    static let pixelUnshuffle = TorchOp("aten::pixel_unshuffle")
    static let im2col = TorchOp("aten::im2col")
    static let col2im = TorchOp("aten::col2im")
}

/// The algorithm of ``Tensor/interpolate(size:mode:alignCorners:)`` (`F.interpolate`'s `mode`).
public enum InterpolationMode: String, Sendable, CaseIterable {
    /// Nearest neighbour, PyTorch's legacy rule (`floor(out · in/out)`): any rank.
    case nearest
    /// Nearest neighbour with pixel centres aligned (`"nearest-exact"`, matches PIL/scikit-image).
    case nearestExact = "nearest-exact"
    /// Linear, for `[N, C, L]`.
    case linear
    /// Bilinear, for `[N, C, H, W]`.
    case bilinear
    /// Bicubic (a = -0.75), for `[N, C, H, W]`.
    case bicubic
    /// Trilinear, for `[N, C, T, H, W]`.
    case trilinear

    /// The input rank the mode requires, nil for the nearest modes (any of 3, 4, 5).
    var requiredRank: Int? {
        switch self {
        case .nearest, .nearestExact: nil
        case .linear: 3
        case .bilinear, .bicubic: 4
        case .trilinear: 5
        }
    }

    var isInterpolating: Bool { requiredRank != nil }
}

/// How ``Tensor/gridSample(_:mode:padding:alignCorners:)`` reads between pixels.
public enum GridSampleMode: Int, Sendable, CaseIterable {
    // Raw values are aten::grid_sampler's interpolation_mode codes.
    case bilinear = 0
    case nearest = 1
    case bicubic = 2
}

/// What ``Tensor/gridSample(_:mode:padding:alignCorners:)`` reads outside the input.
public enum GridSamplePadding: Int, Sendable, CaseIterable {
    // Raw values are aten::grid_sampler's padding_mode codes.
    case zeros = 0
    case border = 1
    case reflection = 2
}

// MARK: - interpolate

extension Tensor.Checked {
    /// `F.interpolate(x, size=size, mode=mode, align_corners=alignCorners)`: resizes the spatial
    /// dimensions of `[N, C, *spatial]` to `size` (one value repeats for every dimension).
    ///
    /// As in PyTorch, `alignCorners` may only be given for the interpolating modes (linear,
    /// bilinear, bicubic, trilinear), where nil means false; each of those needs its own rank.
    public func interpolate(
        size: SpatialSize, mode: InterpolationMode = .nearest, alignCorners: Bool? = nil
    ) throws(TorchError) -> Tensor {
        let dims = try spatialDimensions(for: mode, alignCorners: alignCorners)
        let size = try size.expanded(to: dims, "size", op: "interpolate")
        return try resample(mode, dims, output: .ints(size), scales: .none, alignCorners: alignCorners ?? false)
    }

    /// `F.interpolate(x, scale_factor=scaleFactors, mode=mode, align_corners=alignCorners)`: the
    /// output size is `⌊in · scale⌋` per spatial dimension (a single factor repeats), and the
    /// factors themselves reach the kernel, as with PyTorch's default `recompute_scale_factor=None`.
    public func interpolate(
        scaleFactors: [Double], mode: InterpolationMode = .nearest, alignCorners: Bool? = nil
    ) throws(TorchError) -> Tensor {
        let dims = try spatialDimensions(for: mode, alignCorners: alignCorners)
        guard scaleFactors.count == 1 || scaleFactors.count == dims else {
            throw TorchError(
                code: .argument, op: "interpolate",
                message:
                    "scaleFactors must have 1 or \(dims) values for \(dims) spatial dimension(s), got \(scaleFactors)")
        }
        let scales = scaleFactors.count == dims ? scaleFactors : Array(repeating: scaleFactors[0], count: dims)
        return try resample(mode, dims, output: .none, scales: .doubles(scales), alignCorners: alignCorners ?? false)
    }

    /// `F.interpolate(x, scale_factor=scaleFactor, ...)` with one factor for every spatial dimension.
    public func interpolate(
        scaleFactor: Double, mode: InterpolationMode = .nearest, alignCorners: Bool? = nil
    ) throws(TorchError) -> Tensor {
        try interpolate(scaleFactors: [scaleFactor], mode: mode, alignCorners: alignCorners)
    }

    /// The number of spatial dimensions, after PyTorch's checks on mode, rank and align_corners.
    private func spatialDimensions(for mode: InterpolationMode, alignCorners: Bool?) throws(TorchError) -> Int {
        let rank = base.rank
        if alignCorners != nil && !mode.isInterpolating {
            throw TorchError(
                code: .argument, op: "interpolate",
                message: "alignCorners can only be set with the interpolating modes linear, bilinear, bicubic and "
                    + "trilinear, not \(mode.rawValue)")
        }
        guard (3...5).contains(rank) else {
            throw TorchError(
                code: .argument, op: "interpolate",
                message: "input must be [N, C, *spatial] with 1 to 3 spatial dimensions, got \(base.summary)")
        }
        if let required = mode.requiredRank, required != rank {
            throw TorchError(
                code: .argument, op: "interpolate",
                message: "\(mode.rawValue) mode needs a \(required)-D input, got \(rank)-D (\(base.summary))")
        }
        return rank - 2
    }

    private func resample(
        _ mode: InterpolationMode, _ dims: Int, output: TorchArgument, scales: TorchArgument, alignCorners: Bool
    ) throws(TorchError) -> Tensor {
        switch mode {
        case .nearest:
            let op: TorchOp = [.upsampleNearest1d, .upsampleNearest2d, .upsampleNearest3d][dims - 1]
            return try op.call(.tensor(base), output, scales)
        case .nearestExact:
            let op: TorchOp = [.upsampleNearestExact1d, .upsampleNearestExact2d, .upsampleNearestExact3d][dims - 1]
            return try op.call(.tensor(base), output, scales)
        case .linear:
            return try TorchOp.upsampleLinear1d.call(.tensor(base), output, .bool(alignCorners), scales)
        case .bilinear:
            return try TorchOp.upsampleBilinear2d.call(.tensor(base), output, .bool(alignCorners), scales)
        case .bicubic:
            return try TorchOp.upsampleBicubic2d.call(.tensor(base), output, .bool(alignCorners), scales)
        case .trilinear:
            return try TorchOp.upsampleTrilinear3d.call(.tensor(base), output, .bool(alignCorners), scales)
        }
    }
}

// MARK: - grid_sample, pixel shuffle, unfold/fold

extension Tensor.Checked {
    /// `F.grid_sample(x, grid, mode, padding_mode, align_corners)`: reads `self` (`[N, C, H, W]` or
    /// `[N, C, D, H, W]`) at the normalized positions of `grid` (`[N, H_out, W_out, 2]` holding
    /// (x, y), or `[N, D_out, H_out, W_out, 3]` holding (x, y, z)), -1 and 1 being the outer
    /// edges (or the corner pixels' centres with `alignCorners`). Bicubic needs 4-D input.
    public func gridSample(
        _ grid: Tensor, mode: GridSampleMode = .bilinear, padding: GridSamplePadding = .zeros,
        alignCorners: Bool = false
    ) throws(TorchError) -> Tensor {
        try TorchOp.gridSampler.call(
            .tensor(base), .tensor(grid), .int(mode.rawValue), .int(padding.rawValue), .bool(alignCorners))
    }

    /// `F.pixel_shuffle`: `[*, C·r², H, W]` → `[*, C, H·r, W·r]`.
    public func pixelShuffle(upscaleFactor: Int) throws(TorchError) -> Tensor {
        try TorchOp.pixelShuffle.call(.tensor(base), .int(upscaleFactor))
    }

    /// `F.pixel_unshuffle`, the inverse of ``pixelShuffle(upscaleFactor:)``:
    /// `[*, C, H·r, W·r]` → `[*, C·r², H, W]`.
    public func pixelUnshuffle(downscaleFactor: Int) throws(TorchError) -> Tensor {
        try TorchOp.pixelUnshuffle.call(.tensor(base), .int(downscaleFactor))
    }

    /// `F.unfold` (im2col): every sliding `kH×kW` window of `[N, C, H, W]` becomes a column of
    /// `[N, C·kH·kW, L]`, `L` being the number of window positions.
    public func unfold(
        kernelSize: SpatialSize, dilation: SpatialSize = 1, padding: SpatialSize = 0, stride: SpatialSize = 1
    ) throws(TorchError) -> Tensor {
        let op = TorchOp.im2col
        return try op.call(
            .tensor(base), .ints(try kernelSize.expanded(to: 2, "kernelSize", op: op.name)),
            .ints(try dilation.expanded(to: 2, "dilation", op: op.name)),
            .ints(try padding.expanded(to: 2, "padding", op: op.name)),
            .ints(try stride.expanded(to: 2, "stride", op: op.name)))
    }

    /// `F.fold` (col2im), the adjoint of ``unfold(kernelSize:dilation:padding:stride:)``: sums the
    /// columns of `[N, C·kH·kW, L]` back into `[N, C, outputSize.H, outputSize.W]` (overlaps add up).
    public func fold(
        outputSize: SpatialSize, kernelSize: SpatialSize, dilation: SpatialSize = 1, padding: SpatialSize = 0,
        stride: SpatialSize = 1
    ) throws(TorchError) -> Tensor {
        let op = TorchOp.col2im
        return try op.call(
            .tensor(base), .ints(try outputSize.expanded(to: 2, "outputSize", op: op.name)),
            .ints(try kernelSize.expanded(to: 2, "kernelSize", op: op.name)),
            .ints(try dilation.expanded(to: 2, "dilation", op: op.name)),
            .ints(try padding.expanded(to: 2, "padding", op: op.name)),
            .ints(try stride.expanded(to: 2, "stride", op: op.name)))
    }
}

// MARK: - Trapping surface

extension Tensor {
    /// `F.interpolate(x, size=...)`; see ``Tensor/Checked/interpolate(size:mode:alignCorners:)``.
    public func interpolate(
        size: SpatialSize, mode: InterpolationMode = .nearest, alignCorners: Bool? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.interpolate(size: size, mode: mode, alignCorners: alignCorners) }
    }

    /// `F.interpolate(x, scale_factor=...)`; see ``Tensor/Checked/interpolate(scaleFactors:mode:alignCorners:)``.
    public func interpolate(
        scaleFactors: [Double], mode: InterpolationMode = .nearest, alignCorners: Bool? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.interpolate(scaleFactors: scaleFactors, mode: mode, alignCorners: alignCorners)
        }
    }

    /// `F.interpolate(x, scale_factor=s)` with one factor for every spatial dimension.
    public func interpolate(
        scaleFactor: Double, mode: InterpolationMode = .nearest, alignCorners: Bool? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.interpolate(scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners)
        }
    }

    /// `F.grid_sample`; see ``Tensor/Checked/gridSample(_:mode:padding:alignCorners:)``.
    public func gridSample(
        _ grid: Tensor, mode: GridSampleMode = .bilinear, padding: GridSamplePadding = .zeros,
        alignCorners: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.gridSample(grid, mode: mode, padding: padding, alignCorners: alignCorners)
        }
    }

    /// `F.pixel_shuffle`: `[*, C·r², H, W]` → `[*, C, H·r, W·r]`.
    public func pixelShuffle(upscaleFactor: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.pixelShuffle(upscaleFactor: upscaleFactor) }
    }

    /// `F.pixel_unshuffle`: `[*, C, H·r, W·r]` → `[*, C·r², H, W]`.
    public func pixelUnshuffle(downscaleFactor: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.pixelUnshuffle(downscaleFactor: downscaleFactor) }
    }

    /// `F.unfold` (im2col); see ``Tensor/Checked/unfold(kernelSize:dilation:padding:stride:)``.
    public func unfold(
        kernelSize: SpatialSize, dilation: SpatialSize = 1, padding: SpatialSize = 0, stride: SpatialSize = 1,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.unfold(kernelSize: kernelSize, dilation: dilation, padding: padding, stride: stride)
        }
    }

    /// `F.fold` (col2im); see ``Tensor/Checked/fold(outputSize:kernelSize:dilation:padding:stride:)``.
    public func fold(
        outputSize: SpatialSize, kernelSize: SpatialSize, dilation: SpatialSize = 1, padding: SpatialSize = 0,
        stride: SpatialSize = 1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.fold(
                outputSize: outputSize, kernelSize: kernelSize, dilation: dilation, padding: padding, stride: stride)
        }
    }
}
