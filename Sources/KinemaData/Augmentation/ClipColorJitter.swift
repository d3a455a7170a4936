import KinemaVideo

/// Clip-wise colour jitter for fine-tuning: one set of brightness, contrast, saturation and hue
/// factors drawn per clip and applied to every frame (TAdaConv `CONSISTENT: true`, MoSI Appendix A;
/// docs/reference-implementations.md §1.9), so that colour never changes within a clip and cannot be
/// mistaken for motion. The four operations run in random order (`SHUFFLE`), and grayscale with its
/// own probability goes first (`GRAY_FIRST`). Formulas: ``ColorAdjustment``.
public struct ClipColorJitter: Sendable, Equatable, Codable {
    /// Brightness factor drawn from `[max(0, 1 − b), 1 + b]` (0 turns it off).
    public var brightness: Double
    /// Contrast factor drawn from `[max(0, 1 − c), 1 + c]`.
    public var contrast: Double
    /// Saturation factor drawn from `[max(0, 1 − s), 1 + s]`.
    public var saturation: Double
    /// Hue shift drawn from `[−h, h]` turns (h ≤ 0.5).
    public var hue: Double
    /// Probability that a clip is turned gray.
    public var grayscaleProbability: Double

    public init(
        brightness: Double = 0, contrast: Double = 0, saturation: Double = 0, hue: Double = 0,
        grayscaleProbability: Double = 0
    ) {
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
        self.grayscaleProbability = grayscaleProbability
    }

    /// No colour change.
    public static let none = ClipColorJitter()
    /// MoSI fine-tuning (TAdaConv `finetune.yaml`): 0.5 / 0.5 / 0.5 / hue 0.25, grayscale p = 0.3.
    public static let mosiFineTune = ClipColorJitter(
        brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 0.25, grayscaleProbability: 0.3)

    /// Throws on negative amounts, a hue above 0.5 or a probability outside [0, 1].
    public func validate() throws(DatasetError) {
        for (name, value) in [("brightness", brightness), ("contrast", contrast), ("saturation", saturation)] {
            guard value >= 0, value.isFinite else {
                throw DatasetError("colour jitter", "\(name) must be ≥ 0, got \(value)")
            }
        }
        guard (0...0.5).contains(hue) else {
            throw DatasetError("colour jitter", "hue must be in [0, 0.5] turns, got \(hue)")
        }
        guard (0...1).contains(grayscaleProbability) else {
            throw DatasetError("colour jitter", "grayscaleProbability must be in [0, 1], got \(grayscaleProbability)")
        }
    }

    /// The colour operations of one clip, in the order they apply.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> [ColorAdjustment] {
        func around1(_ amount: Double) -> Float {
            Float(Double.random(in: max(0, 1 - amount)...(1 + amount), using: &generator))
        }
        var steps: [ColorAdjustment] = []
        if brightness > 0 { steps.append(.brightness(around1(brightness))) }
        if contrast > 0 { steps.append(.contrast(around1(contrast))) }
        if saturation > 0 { steps.append(.saturation(around1(saturation))) }
        if hue > 0 { steps.append(.hue(Float(Double.random(in: -hue...hue, using: &generator)))) }
        steps.shuffle(using: &generator)
        if grayscaleProbability > 0, Double.random(in: 0..<1, using: &generator) < grayscaleProbability {
            steps.insert(.grayscale, at: 0)
        }
        return steps
    }
}
