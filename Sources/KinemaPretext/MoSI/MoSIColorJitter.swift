// Colour augmentation of MoSI clips (docs/reference-implementations.md §1.5 and §0 item 2). The paper (Appendix A,
// "Further training details") applies "frame-wise random color jittering"; the original code (TAdaConv
// fa78f82, EssentialMC2) does brightness/contrast/saturation 0.5, hue 0.25, a separate factor per
// frame, the four operations in random order, and grayscale with p = 0.3 put first. TAdaConv's 2023
// refactor (HEAD 75b7839) gates the four operations behind a probability that the generator never
// sets (0), so HEAD applies only the grayscale. Kinema follows the paper by default and offers
// HEAD's behaviour as a preset.
import KinemaVideo

/// How MoSI clips are colour-jittered.
public struct MoSIColorJitter: Sendable, Equatable {
    /// Brightness factor drawn from `[max(0, 1 − b), 1 + b]`.
    public var brightness: Double
    /// Contrast factor drawn from `[max(0, 1 − c), 1 + c]`.
    public var contrast: Double
    /// Saturation factor drawn from `[max(0, 1 − s), 1 + s]`.
    public var saturation: Double
    /// Hue shift drawn from `[−h, h]` (turns; h ≤ 0.5).
    public var hue: Double
    /// Probability that a clip gets the four colour operations at all (1 in the paper; HEAD's gate is 0).
    public var colorProbability: Double
    /// Probability that a clip is turned gray.
    public var grayscaleProbability: Double
    /// One factor for the whole clip (true), or one per frame (false: the paper's "frame-wise").
    public var consistent: Bool
    /// Random order of the four operations per clip (else brightness, contrast, saturation, hue).
    public var shuffle: Bool
    /// Grayscale before the colour operations (else after).
    public var grayFirst: Bool

    public init(
        brightness: Double = 0.5, contrast: Double = 0.5, saturation: Double = 0.5, hue: Double = 0.25,
        colorProbability: Double = 1, grayscaleProbability: Double = 0.3, consistent: Bool = false,
        shuffle: Bool = true, grayFirst: Bool = true
    ) {
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
        self.colorProbability = colorProbability
        self.grayscaleProbability = grayscaleProbability
        self.consistent = consistent
        self.shuffle = shuffle
        self.grayFirst = grayFirst
    }

    /// The paper and the original code (`mosi.yaml`): frame-wise jitter of all four, gray p = 0.3.
    /// Kinema's default.
    public static let paper = MoSIColorJitter()
    /// TAdaConv HEAD as it runs: the colour operations are gated off, only grayscale p = 0.3 remains.
    public static let tadaconvHead = MoSIColorJitter(colorProbability: 0)
    /// No colour augmentation.
    public static let none = MoSIColorJitter(colorProbability: 0, grayscaleProbability: 0)

    func validate() throws(MoSIError) {
        for (name, value) in [("brightness", brightness), ("contrast", contrast), ("saturation", saturation)] {
            guard value >= 0, value.isFinite else { throw MoSIError("colour jitter \(name) must be ≥ 0, got \(value)") }
        }
        guard (0...0.5).contains(hue) else { throw MoSIError("colour jitter hue must be in [0, 0.5] (turns), got \(hue)") }
        for (name, p) in [("colorProbability", colorProbability), ("grayscaleProbability", grayscaleProbability)] {
            guard (0...1).contains(p) else { throw MoSIError("colour jitter \(name) must be in [0, 1], got \(p)") }
        }
    }

    /// The colour steps of one clip of `frames` frames, in the order they apply (the random part).
    func sample<G: RandomNumberGenerator>(frames: Int, using generator: inout G) -> [MoSIColorStep] {
        var steps: [MoSIColorStep] = []
        if colorProbability > 0, Double.random(in: 0..<1, using: &generator) < colorProbability {
            func factors(_ range: ClosedRange<Double>) -> [Float] {
                if consistent { return Array(repeating: Float(Double.random(in: range, using: &generator)), count: frames) }
                return (0..<frames).map { _ in Float(Double.random(in: range, using: &generator)) }
            }
            func around1(_ amount: Double) -> ClosedRange<Double> { max(0, 1 - amount)...(1 + amount) }
            if brightness > 0 { steps.append(.brightness(factors(around1(brightness)))) }
            if contrast > 0 { steps.append(.contrast(factors(around1(contrast)))) }
            if saturation > 0 { steps.append(.saturation(factors(around1(saturation)))) }
            if hue > 0 { steps.append(.hue(factors(-hue...hue))) }
            if shuffle { steps.shuffle(using: &generator) }
        }
        if grayscaleProbability > 0, Double.random(in: 0..<1, using: &generator) < grayscaleProbability {
            if grayFirst { steps.insert(.grayscale, at: 0) } else { steps.append(.grayscale) }
        }
        return steps
    }
}

/// One colour operation of a clip with its factor in every frame.
public enum MoSIColorStep: Sendable, Equatable {
    case brightness([Float])
    case contrast([Float])
    case saturation([Float])
    case hue([Float])
    case grayscale

    /// The operation as it applies to frame `t`.
    public func adjustment(frame t: Int) -> ColorAdjustment {
        switch self {
        case .brightness(let f): .brightness(f[t])
        case .contrast(let f): .contrast(f[t])
        case .saturation(let f): .saturation(f[t])
        case .hue(let f): .hue(f[t])
        case .grayscale: .grayscale
        }
    }
}
