/// RandAugment (Cubuk et al., "RandAugment: Practical automated data augmentation with a reduced
/// search space", CVPR workshops 2020) as timm 0.4.12 implements it (`timm/data/auto_augment.py`,
/// `rand_augment_transform`) and VideoMAE applies it to video clips (`MCG-NJU/VideoMAE`
/// `rand_augment.py`, `video_transforms.create_random_augment`; MME Appendix D Table 15:
/// `rand-m7-n4-mstd0.5-inc1`).
///
/// Per clip, n operations are drawn uniformly with replacement from the 15 of ``Transform``; each
/// applies with probability ½ at a magnitude drawn from N(m, mstd) clipped to [0, 10], and the
/// signed ones get a random sign. VideoMAE hands the frame list to each operation, so **one draw
/// serves every frame of the clip** (the operations that read the image — autocontrast, equalize,
/// contrast — still read each frame's own histogram or mean, as PIL does per image). Geometric
/// operations interpolate bicubically (VideoMAE's `train_interpolation`) and fill with grey 128
/// (timm's `_FILL`: VideoMAE passes no `img_mean`).
///
/// Split into sampler and renderer (docs/architecture-notes.md, "Randomness"): ``sample(using:)``
/// draws the operations with their arguments; ``RandAugmentOperation/apply(to:)`` renders one.
public struct RandAugment: Sendable, Equatable, Codable {
    /// m: the magnitude, 0…10 (timm's `_MAX_LEVEL` is 10).
    public var magnitude: Double
    /// n: operations drawn per clip.
    public var operations: Int
    /// mstd: the standard deviation of the Gaussian noise on the magnitude (0: none).
    public var magnitudeStd: Double
    /// inc: the "increasing" variant, whose every operation grows stronger with the magnitude
    /// (``Transform/operation(level:increasing:negate:)``).
    public var increasing: Bool

    /// timm's defaults for the parts a spec leaves out: m 10, n 2, no noise, not increasing.
    public init(magnitude: Double = 10, operations: Int = 2, magnitudeStd: Double = 0, increasing: Bool = false) {
        self.magnitude = magnitude
        self.operations = operations
        self.magnitudeStd = magnitudeStd
        self.increasing = increasing
    }

    /// The probability with which each drawn operation applies (timm's `rand_augment_ops`).
    public static let probability = 0.5
    /// timm's `_MAX_LEVEL`: magnitudes are clipped to [0, maxLevel].
    public static let maxLevel = 10.0

    /// Throws unless 0 ≤ m ≤ 10, n ≥ 1 and mstd ≥ 0 (all finite).
    public func validate() throws(DatasetError) {
        guard magnitude.isFinite, (0...Self.maxLevel).contains(magnitude) else {
            throw DatasetError("randAugment", "the magnitude m must be in [0, 10], got \(magnitude)")
        }
        guard operations >= 1 else { throw DatasetError("randAugment", "n must be ≥ 1 operation, got \(operations)") }
        guard magnitudeStd.isFinite, magnitudeStd >= 0 else {
            throw DatasetError("randAugment", "mstd must be ≥ 0, got \(magnitudeStd)")
        }
    }

    /// The operations of one clip, in the order they apply (those that drew "skip" left out).
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> [RandAugmentOperation] {
        var drawn: [RandAugmentOperation] = []
        for _ in 0..<operations {
            let transform = Transform.allCases.randomElement(using: &generator)!
            guard Double.random(in: 0..<1, using: &generator) < Self.probability else { continue }
            var level = magnitude
            if magnitudeStd > 0 { level += magnitudeStd * StandardNormal.sample(using: &generator) }
            level = min(max(level, 0), Self.maxLevel)
            let negate = transform.isSigned && Bool.random(using: &generator)
            drawn.append(transform.operation(level: level, increasing: increasing, negate: negate))
        }
        return drawn
    }
}
