// Every setting of the MoSI generator with the official defaults (TAdaConv
// `configs/pool/run/training/mosi.yaml`, docs/reference-implementations.md §1.2–1.6), except where the official code
// has a known defect: the flip keeps the label (§0 item 1; off here by default) and the colour
// jitter is gated off at HEAD (§0 item 2; on here, as in MoSI Appendix A and the original code).

/// Where in the clip the motion stays visible (MoSI §3.2, Eq. 3).
public enum MoSIStaticMask: Sendable, Equatable {
    /// Global motion only ("unmasked MoSI").
    case none
    /// A square moving area of side `⌊r · L⌋`, r drawn uniformly from the range per clip (the
    /// paper's default 0.3 … 0.5, `MASK_SIZE_RATIO`); everything outside it shows one frame.
    case randomRatio(ClosedRange<Double>)
    /// A moving area of side `⌊r · L⌋` for a fixed r (the paper's Fig. 7 ablation).
    case fixedRatio(Double)
}

/// What happens with horizontal flips (docs/reference-implementations.md §0 item 1).
public enum MoSIFlipPolicy: Sendable, Equatable {
    /// No flip (Kinema's default).
    case none
    /// Flip with p = 0.5 and give the clip the label of the mirrored motion `(−x, y)`.
    case flipWithLabelSwap
    /// The official behaviour: flip with p = 0.5 after the path is fixed and keep the label, which
    /// makes ±x indistinguishable and caps the 9-way pretext top-1 at 7/9.
    case officialNoSwap
}

/// Which distribution the start position comes from.
public enum MoSISplit: String, Sendable, Equatable, Codable {
    /// Random start anywhere the path stays inside the source; distance jitter applies.
    case train
    /// Path centred in the source, no distance jitter (the official "val"/"test" generator).
    case validation
}

/// The MoSI generator's settings.
public struct MoSIConfig: Sendable, Equatable {
    /// The classes: K = 2 speeds per direction on both axes, decoupled (9 classes).
    public var labelPool: MoSILabelPool
    /// N, frames per clip (16).
    public var frameCount: Int
    /// L, the side of the square window and of the output frames (112).
    public var cropSize: Int
    /// Ls: the source is resized so its short side is Ls and an Ls × Ls square is cut from it (320).
    public var standardSize: Int
    public var split: MoSISplit
    /// Distance factor range (train only; `[1, 1]` = none). Speeds at the full ±K draw from
    /// `[lower, 1]` so their paths still fit (official `get_distance_factor`).
    public var distanceJitter: ClosedRange<Double>
    /// The static mask at the end of training (and in validation).
    public var staticMask: MoSIStaticMask
    /// Shrinks the moving area to `staticMask`'s over the first training steps (nil: none).
    public var maskCurriculum: MoSIMaskCurriculum?
    public var colorJitter: MoSIColorJitter
    public var flip: MoSIFlipPolicy
    /// The clips' labels: their motion, or the label-noise control's uniform draws.
    public var labels: MoSILabels

    public init(
        labelPool: MoSILabelPool? = nil, frameCount: Int = 16, cropSize: Int = 112, standardSize: Int = 320,
        split: MoSISplit = .train, distanceJitter: ClosedRange<Double> = 1...1,
        staticMask: MoSIStaticMask = .randomRatio(0.3...0.5), maskCurriculum: MoSIMaskCurriculum? = nil,
        colorJitter: MoSIColorJitter = .paper, flip: MoSIFlipPolicy = .none, labels: MoSILabels = .motion
    ) {
        // K = 2 is always valid, so the default pool cannot throw.
        self.labelPool = labelPool ?? (try! MoSILabelPool())
        self.frameCount = frameCount
        self.cropSize = cropSize
        self.standardSize = standardSize
        self.split = split
        self.distanceJitter = distanceJitter
        self.staticMask = staticMask
        self.maskCurriculum = maskCurriculum
        self.colorJitter = colorJitter
        self.flip = flip
        self.labels = labels
    }

    /// The settings of training step `step`: the curriculum's mask for that step, no curriculum.
    public func atStep(_ step: Int) -> MoSIConfig {
        guard let curriculum = maskCurriculum else { return self }
        var config = self
        config.staticMask = curriculum.mask(atStep: step, final: staticMask)
        config.maskCurriculum = nil
        return config
    }

    /// Throws the first setting that cannot work, saying what would.
    public func validate() throws(MoSIError) {
        guard frameCount >= 1 else { throw MoSIError("frameCount must be at least 1, got \(frameCount)") }
        guard cropSize >= 1 else { throw MoSIError("cropSize must be at least 1, got \(cropSize)") }
        guard standardSize > cropSize else {
            throw MoSIError("standardSize (\(standardSize)) must be larger than cropSize (\(cropSize)), or no window can move")
        }
        let jitter = distanceJitter
        guard jitter.lowerBound >= 0, jitter.lowerBound <= 1, jitter.upperBound.isFinite else {
            throw MoSIError("distanceJitter must lie in [0, …] with a lower bound ≤ 1, got \(jitter)")
        }
        let k = labelPool.speedsPerDirection
        guard Double(k - 1) / Double(k) * jitter.upperBound <= 1 else {
            throw MoSIError("distanceJitter upper bound \(jitter.upperBound) sends speed \(k - 1) of K = \(k) outside the source; use at most \(Double(k) / Double(k - 1))")
        }
        switch staticMask {
        case .none: break
        case .randomRatio(let r):
            guard r.lowerBound > 0, r.upperBound <= 1 else { throw MoSIError("static mask ratios must lie in (0, 1], got \(r)") }
        case .fixedRatio(let r):
            guard r > 0, r <= 1 else { throw MoSIError("the static mask ratio must lie in (0, 1], got \(r)") }
        }
        if let curriculum = maskCurriculum {
            guard staticMask != .none else {
                throw MoSIError("a mask curriculum needs a static mask to shrink to, not none; drop the curriculum for unmasked MoSI")
            }
            try curriculum.validate()
        }
        try colorJitter.validate()
    }
}
