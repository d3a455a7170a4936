import KinemaNN

/// The Context Guided Motion Network, CGM-Net (Tian et al., "Self-supervised Motion Representation
/// via Scattering Local Motion Cues", ECCV 2020, §3.3, Fig. 3): a clip `[N, 3, T, H, W]` to `T`
/// motion maps at two resolutions, map `t` synthesising frame `t + 1` from frame `t` (Eq. 1;
/// the last map predicts the unseen frame `T`).
///
/// ```
/// clip ─ encoder (3-D backbone) ─ decoder ─┬─ maps (1×1×1) ─ normalise ─ M_LR [N, T, k², H/r, W/r]
///                                         └─ F_motion ─────────┐
/// each frame ─ context (ResNet-18 to conv3_x) ─ F_context ─ upsampler (CGMUL) ─ normalise ─ M_HR [N, T, k̂², H, W]
/// ```
///
/// With the ``MotionUpsampling/nearest`` or ``MotionUpsampling/bilinear`` baseline there is no
/// context extractor nor upsampler: `M_HR` is `M_LR` upsampled with holes
/// (``MotionUpsampling/upsampledWithHoles(_:scale:)``).
///
/// Parameters: `encoder.*` (the backbone under its own names, classifier included, so that
/// `stateDict()` filtered by that prefix is a backbone checkpoint for fine-tuning), `decoder.*`
/// (``LowResolutionMotionDecoder``), `context.*` (``ContextExtractor``, torchvision's ResNet-18
/// names) and `upsampler.*` (``ContextGuidedUpsampling``).
///
/// ```swift
/// let net = try CGMNet(store.root, CGMNetConfiguration())
/// // frames [N, 3, 17, 112, 112] in [−1, 1]: the clip and the frame after it
/// let output = net(frames[.all, .all, 0..<16], mode: .train)
/// let loss = CGMReconstructionLoss()(output, frames: frames).total
/// ```
public final class CGMNet: Module {
    public let path: ParameterPath
    public let configuration: CGMNetConfiguration
    public let encoder: any Backbone
    public let decoder: LowResolutionMotionDecoder
    /// The context extractor and CGMUL; nil with the unlearned baselines.
    public let context: ContextExtractor?
    public let upsampler: ContextGuidedUpsampling?

    /// Builds the network (each part initialised as its type documents) after
    /// ``CGMNetConfiguration/validate()``.
    public init(_ path: ParameterPath, _ configuration: CGMNetConfiguration) throws(ModuleError) {
        try configuration.validate()
        let name = try ModelName(validating: configuration.backbone)
        self.path = path
        self.configuration = configuration
        encoder = try name.make(path / "encoder", width: configuration.backboneWidth > 0 ? configuration.backboneWidth : nil)
        decoder = try LowResolutionMotionDecoder(
            path / "decoder", inChannels: encoder.featureDimension, channels: configuration.decoderChannels,
            upsampling: configuration.decoderUpsampling, taps: configuration.kernel * configuration.kernel)
        if configuration.upsampling == .contextGuided {
            let motionChannels = configuration.decoderChannels.last ?? encoder.featureDimension
            guard motionChannels == configuration.contextChannels else {
                throw ModuleError(
                    .invalidConfiguration, path: path.name,
                    "the motion features have \(motionChannels) channels (\(name)'s features: the decoder has no "
                        + "blocks) but the context \(configuration.contextChannels)")
            }
            context = try ContextExtractor(path / "context", width: configuration.contextWidth)
            upsampler = try ContextGuidedUpsampling(
                path / "upsampler", channels: configuration.contextChannels, scale: configuration.scale,
                kernel: configuration.hrKernel)
        } else {
            context = nil
            upsampler = nil
        }
    }

    /// The motion maps of `clip` `[N, 3, T, H, W]` (its shape must pass
    /// ``CGMNetConfiguration/problem(with:)``).
    public func callAsFunction(_ clip: Tensor, mode: Mode) -> CGMNetOutput {
        precondition(clip.rank == 5 && clip.shape[1] == 3, "CGM-Net takes clips [N, 3, T, H, W], got \(clip.summary)")
        let (n, t, h, w) = (clip.shape[0], clip.shape[2], clip.shape[3], clip.shape[4])
        let shape = ClipShape(frames: t, height: h, width: w)
        if let problem = configuration.problem(with: shape) { preconditionFailure(problem) }
        let c = configuration
        let (lh, lw) = (h / c.scale, w / c.scale)
        let (motion, raw) = decoder(encoder.featureMap(clip, mode: mode), mode: mode)
        // One 2-D problem per frame: [N, C, T, h, w] → [N·T, C, h, w].
        let lowResolution = c.filterNormalization(Self.frames(raw), dimension: 1)
        let highResolution: Tensor
        if let context, let upsampler {
            var features = context(Self.frames(clip), mode: mode)
            if features.shape[2] != lh || features.shape[3] != lw {
                features = features.interpolate(size: SpatialSize([lh, lw]), mode: .bilinear, alignCorners: false)
            }
            let maps = upsampler(context: features, motion: Self.frames(motion), maps: lowResolution)
            highResolution = c.filterNormalization(maps, dimension: 1)
        } else {
            highResolution = c.upsampling.upsampledWithHoles(lowResolution, scale: c.scale)
        }
        return CGMNetOutput(
            lowResolutionMaps: lowResolution.reshaped([n, t, c.kernel * c.kernel, lh, lw]),
            highResolutionMaps: highResolution.reshaped([n, t, c.hrKernel * c.hrKernel, h, w]), scale: c.scale)
    }

    /// `[N, C, T, H, W]` → `[N·T, C, H, W]`.
    static func frames(_ video: Tensor) -> Tensor {
        let s = video.shape
        return video.transposed(1, 2).reshaped([s[0] * s[2], s[1], s[3], s[4]])
    }
}

/// What ``CGMNet`` predicts for a clip of `T` frames: map `t` synthesises frame `t + 1` from
/// frame `t` (Eq. 1), so the last map predicts the unseen frame `T`. Both are normalised by the
/// configuration's ``FilterNormalization``.
public struct CGMNetOutput {
    /// `[N, T, k², H/r, W/r]`.
    public let lowResolutionMaps: Tensor
    /// `[N, T, k̂², H, W]`.
    public let highResolutionMaps: Tensor
    /// The factor `r` between the two.
    public let scale: Int

    public init(lowResolutionMaps: Tensor, highResolutionMaps: Tensor, scale: Int) {
        self.lowResolutionMaps = lowResolutionMaps
        self.highResolutionMaps = highResolutionMaps
        self.scale = scale
    }

    /// Frames `1…T` synthesised from the input frames `0…T−1` of `clip` `[N, C, T, H, W]` by the
    /// high-resolution maps: `[N, C, T, H, W]`.
    public func reconstructions(of clip: Tensor) -> Tensor {
        Self.synthesised(clip, highResolutionMaps)
    }

    /// Frames `1…T` at `H/r × W/r`, synthesised by the low-resolution maps from the input frames
    /// area-downsampled by `r` (``areaDownsampled(_:)``): `[N, C, T, H/r, W/r]`.
    public func lowResolutionReconstructions(of clip: Tensor) -> Tensor {
        Self.synthesised(areaDownsampled(clip), lowResolutionMaps)
    }

    /// A clip `[N, C, T, H, W]` averaged over `r×r` blocks: `[N, C, T, H/r, W/r]` (the paper's
    /// "downsampled input videos", §3.5, here by area averaging).
    public func areaDownsampled(_ clip: Tensor) -> Tensor {
        clip.avgPool3d(kernelSize: SpatialSize([1, scale, scale]))
    }

    /// Eq. 1 frame by frame: `clip` `[N, C, T, H, W]`, `maps` `[N, T, k², H, W]`.
    static func synthesised(_ clip: Tensor, _ maps: Tensor) -> Tensor {
        let s = clip.shape
        let frames = CGMNet.frames(clip)
        let next = frames.synthesised(withMotionMaps: maps.reshaped([s[0] * s[2]] + Array(maps.shape[2...])))
        return next.reshaped([s[0], s[2], s[1], s[3], s[4]]).transposed(1, 2)
    }
}
