import KinemaNN

/// The shape of a ``CGMNet`` (Tian et al., ECCV 2020, §3.3 and §4.3). The defaults are the
/// paper's where it gives them (R3D-18 backbone as in the ablations, scale factor 4, ResNet-18
/// context at width 64) and Kinema's choices otherwise, each explained at its property.
public struct CGMNetConfiguration: Codable, Equatable, Sendable {
    /// The video encoder, a registered ``ModelName`` (its ``Backbone/featureMap(_:mode:)``): the
    /// paper uses 3D-ResNets and SlowFast; any registered backbone works.
    public var backbone = "r3d_18"
    /// The backbone's width (``ModelName/make(_:classes:width:dropPath:headInitScale:)``); 0: the
    /// registered one. Narrow backbones are for tests.
    public var backboneWidth = 0
    /// The upsampling factor `r` from the low- to the high-resolution maps; the low-resolution
    /// maps are `H/r × W/r`. The paper picks 4 (§4.3, Fig. 6), which is also the context
    /// extractor's stride; with another `r` the context features are resampled to `H/r × W/r` by
    /// bilinear interpolation (`align_corners=False`, no antialiasing). It must divide the
    /// backbone's spatial stride by a power of two, so that the decoder reaches `H/r` by doublings.
    public var scale = 4
    /// The side `k` of the low-resolution filters. Kinema's default, 3: at `H/4` consecutive frames
    /// of a 112×112 clip move by about a pixel (±1 low-resolution pixel is ±4 pixels at full
    /// resolution), and with `r = 4` the dilated baselines then have the same `k̂ = 9` as
    /// ``hrKernel``, so the three ``MotionUpsampling`` methods compare at equal support. Use 5 for
    /// faster motion (±2 low-resolution pixels).
    public var kernel = 3
    /// The side `k̂` of the high-resolution filters (the paper: "k̂ is bigger than k"). Kinema's
    /// default, 9, covers ±4 pixels at full resolution, the range of the default low-resolution
    /// maps. The ``MotionUpsampling/nearest`` and ``MotionUpsampling/bilinear`` baselines fix it at
    /// `r·(k − 1) + 1`.
    public var hrKernel = 9
    public var upsampling = MotionUpsampling.contextGuided
    /// Applied to both the low-resolution maps and CGMUL's raw output (not to the baselines'
    /// upsampled maps, which keep the low-resolution maps' normalisation).
    public var filterNormalization = FilterNormalization.softmax
    /// Output channels of the low-resolution decoder's blocks, one per block: the decoder needs one
    /// block per doubling of the backbone's feature map (the larger of the temporal and spatial
    /// counts, ``decoderUpsampling``); R3D-18 at `r = 4`: 3 blocks (time ×8, space ×4). The last
    /// are the motion features `F_motion` of Eq. 2 and must equal the context channels
    /// (`2·contextWidth`): Kinema adds no projection between the two.
    public var decoderChannels = [256, 128, 128]
    /// The context extractor's width (64 in ResNet-18, giving 128-channel context features).
    public var contextWidth = 64

    public init() {}

    /// The registered backbone (nil when ``backbone`` names none).
    public var backboneName: ModelName? { ModelName(rawValue: backbone) }

    /// The channels of the context features, `2·contextWidth`.
    public var contextChannels: Int { 2 * contextWidth }

    /// The upsampling of each decoder block, `(time, space)` factors of 1 or 2: every block doubles
    /// each dimension that has not reached its size yet (the clip's frames, `H/r × W/r`), so the
    /// early blocks double both. Empty when the configuration is invalid.
    public var decoderUpsampling: [(time: Int, space: Int)] {
        guard let name = backboneName, scale > 0, name.featureStride.space % scale == 0,
            let time = Self.doublings(name.featureStride.time),
            let space = Self.doublings(name.featureStride.space / scale)
        else { return [] }
        return (0..<Swift.max(time, space)).map { ($0 < time ? 2 : 1, $0 < space ? 2 : 1) }
    }

    /// Every invalid value, each named with the reason; empty when the configuration is valid.
    public var problems: [String] {
        var problems: [String] = []
        let name = backboneName
        if name == nil {
            let known = ModelName.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append("backbone '\(backbone)' is not a registered model; known models: \(known)")
        }
        if backboneWidth < 0 { problems.append("backboneWidth \(backboneWidth) must be positive (or 0: the registered width)") }
        if let name {
            let stride = name.featureStride
            if scale <= 0 || stride.space % scale != 0 || Self.doublings(stride.space / scale) == nil {
                problems.append(
                    "scale \(scale) must divide \(name)'s spatial stride \(stride.space) by a power of two")
            } else if decoderChannels.count != decoderUpsampling.count {
                problems.append(
                    "decoderChannels \(decoderChannels) must have one entry per decoder block: \(name) at scale "
                        + "\(scale) needs \(decoderUpsampling.count) (time ×\(stride.time), space ×\(stride.space / scale))")
            }
        }
        if kernel <= 0 || kernel % 2 == 0 { problems.append("kernel \(kernel) must be odd and positive") }
        if hrKernel <= 0 || hrKernel % 2 == 0 { problems.append("hrKernel \(hrKernel) must be odd and positive") }
        if upsampling != .contextGuided, scale > 0, kernel > 0, hrKernel != scale * (kernel - 1) + 1 {
            problems.append(
                "hrKernel \(hrKernel) must be scale·(kernel − 1) + 1 = \(scale * (kernel - 1) + 1) for the "
                    + "\(upsampling.rawValue) upsampling (its filters are the low-resolution ones dilated)")
        }
        if let bad = decoderChannels.first(where: { $0 <= 0 }) {
            problems.append("decoderChannels \(decoderChannels) must be positive, got \(bad)")
        }
        if contextWidth <= 0 { problems.append("contextWidth \(contextWidth) must be positive") }
        if upsampling == .contextGuided, let last = decoderChannels.last, last != contextChannels {
            problems.append(
                "decoderChannels' last entry \(last) must equal the context channels 2·contextWidth = "
                    + "\(contextChannels) (Eq. 2 multiplies the motion and context features channel by channel)")
        }
        return problems
    }

    /// Throws a ``ModuleError`` naming every invalid value (see ``problems``).
    public func validate() throws(ModuleError) {
        let problems = problems
        guard problems.isEmpty else {
            throw ModuleError(.invalidConfiguration, path: "", "invalid CGM-Net configuration: " + problems.joined(separator: "; "))
        }
    }

    /// Why clips of `shape` do not fit, or nil: the frames must divide by the backbone's temporal
    /// stride and the sides by its spatial one (so the decoder's doublings land on `T` and `H/r`).
    public func problem(with shape: ClipShape) -> String? {
        guard let name = backboneName else { return "backbone '\(backbone)' is not a registered model" }
        if let problem = name.problem(with: shape) { return problem }
        let stride = name.featureStride
        guard shape.frames % stride.time == 0, shape.height % stride.space == 0, shape.width % stride.space == 0 else {
            return "CGM-Net with \(name) needs frames divisible by \(stride.time) and sides divisible by "
                + "\(stride.space), got \(shape)"
        }
        return nil
    }

    /// `log2(value)` when `value` is a power of two (1 → 0), else nil.
    private static func doublings(_ value: Int) -> Int? {
        guard value > 0, value & (value - 1) == 0 else { return nil }
        return value.trailingZeroBitCount
    }
}
