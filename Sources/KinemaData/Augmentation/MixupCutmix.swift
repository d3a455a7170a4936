import Foundation
import KinemaTensor

/// Mixup (Zhang et al. 2018) and CutMix (Yun et al. 2019) over a batch of clips, with label
/// smoothing, as timm's `Mixup` (batch mode) does for VideoMAE's fine-tuning (MME Appendix D, Table
/// 15; docs/reference-implementations.md §3.9: mixup 0.8, cutmix 1.0, switch probability 0.5,
/// smoothing 0.1). Each batch is mixed with itself reversed: clip n with clip N−1−n.
///
/// ``sample`` draws the randomness (which mix, λ, the box) into a ``BatchMix``;
/// ``BatchMix/apply(to:labels:classes:smoothing:)`` renders it exactly.
public struct MixupCutmix: Sendable, Equatable, Codable {
    /// α of Beta(α, α) for mixup's λ; 0 turns mixup off.
    public var mixupAlpha: Double
    /// α of Beta(α, α) for CutMix's λ; 0 turns CutMix off.
    public var cutmixAlpha: Double
    /// Probability that a batch is mixed at all.
    public var probability: Double
    /// With both on, the probability of CutMix rather than mixup.
    public var switchProbability: Double
    /// Label smoothing ε of the targets (see ``smoothedTargets(_:classes:smoothing:)``).
    public var labelSmoothing: Double

    public init(
        mixupAlpha: Double = 0.8, cutmixAlpha: Double = 1, probability: Double = 1, switchProbability: Double = 0.5,
        labelSmoothing: Double = 0.1
    ) {
        self.mixupAlpha = mixupAlpha
        self.cutmixAlpha = cutmixAlpha
        self.probability = probability
        self.switchProbability = switchProbability
        self.labelSmoothing = labelSmoothing
    }

    /// VideoMAE's fine-tuning: mixup 0.8, CutMix 1.0, switch 0.5, smoothing 0.1.
    public static let videoMAE = MixupCutmix()

    public func validate() throws(DatasetError) {
        guard mixupAlpha >= 0, cutmixAlpha >= 0 else { throw DatasetError("mixup", "alphas must be ≥ 0") }
        for (name, p) in [
            ("probability", probability), ("switchProbability", switchProbability), ("labelSmoothing", labelSmoothing),
        ] {
            guard (0...1).contains(p) else { throw DatasetError("mixup", "\(name) must be in [0, 1], got \(p)") }
        }
    }

    /// The mix of one batch whose frames are `width × height`.
    public func sample<G: RandomNumberGenerator>(width: Int, height: Int, using generator: inout G) -> BatchMix {
        guard mixupAlpha > 0 || cutmixAlpha > 0, Double.random(in: 0..<1, using: &generator) < probability else {
            return .none
        }
        let cutmix =
            mixupAlpha == 0 || (cutmixAlpha > 0 && Double.random(in: 0..<1, using: &generator) < switchProbability)
        guard cutmix else { return .mixup(lambda: Beta.sample(alpha: mixupAlpha, using: &generator)) }
        let lambda = Beta.sample(alpha: cutmixAlpha, using: &generator)
        // timm's rand_bbox: a box of (1 − λ) of the area around a uniform centre, clipped to the
        // frame; λ is then corrected to the box actually kept.
        let cut = (1 - lambda).squareRoot()
        let (cutH, cutW) = (Int(Double(height) * cut), Int(Double(width) * cut))
        let (cy, cx) = (Int.random(in: 0..<height, using: &generator), Int.random(in: 0..<width, using: &generator))
        let (y0, y1) = (min(max(cy - cutH / 2, 0), height), min(max(cy + cutH / 2, 0), height))
        let (x0, x1) = (min(max(cx - cutW / 2, 0), width), min(max(cx + cutW / 2, 0), width))
        return .cutmix(box: CropBox(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
    }

    /// One-hot targets `[N, classes]` with label smoothing ε: `1 − ε + ε/classes` on the label,
    /// `ε/classes` elsewhere (timm's `one_hot(…, on, off)`; the same targets as
    /// `cross_entropy(label_smoothing: ε)` uses).
    public static func smoothedTargets(_ labels: [Int], classes: Int, smoothing: Double = 0) -> Tensor {
        precondition(
            classes >= 1 && labels.allSatisfy { (0..<classes).contains($0) }, "labels must lie in 0..<\(classes)")
        let off = Float(smoothing / Double(classes))
        var values = [Float](repeating: off, count: labels.count * classes)
        for (n, label) in labels.enumerated() { values[n * classes + label] = Float(1 - smoothing) + off }
        return Tensor(values, shape: [labels.count, classes])
    }
}

/// How one batch is mixed.
public enum BatchMix: Sendable, Equatable {
    /// Unchanged.
    case none
    /// `λ·x + (1 − λ)·x.flip(0)`.
    case mixup(lambda: Double)
    /// The box of every frame replaced by the same box of the reversed batch.
    case cutmix(box: CropBox)

    /// The weight of each clip's own label: λ for mixup, the uncovered fraction for CutMix.
    public func lambda(width: Int, height: Int) -> Double {
        switch self {
        case .none: 1
        case .mixup(let lambda): lambda
        case .cutmix(let box): 1 - Double(box.width * box.height) / Double(width * height)
        }
    }

    /// The mixed clips and their soft targets.
    ///
    /// - Parameters:
    ///   - clips: `[N, C, T, H, W]` (any `[N, …, H, W]`).
    ///   - labels: N class indices.
    /// - Returns: the mixed clips (same shape and device) and targets `[N, classes]` float32 on the
    ///   clips' device, `λ·y + (1 − λ)·y.flip(0)` of the smoothed one-hot targets y, for
    ///   `crossEntropy(probabilities:)`.
    public func apply(to clips: Tensor, labels: [Int], classes: Int, smoothing: Double = 0) throws(TorchError) -> (
        clips: Tensor, targets: Tensor
    ) {
        let shape = clips.shape
        guard shape.count >= 3, shape[0] == labels.count else {
            throw TorchError(
                code: .value, op: "BatchMix.apply",
                message: "clips \(clips.summary) must be [N, …, H, W] with N = \(labels.count) labels")
        }
        let (height, width) = (shape[shape.count - 2], shape[shape.count - 1])
        let reversed = try clips.checked.flipped([0])
        let mixed: Tensor
        switch self {
        case .none:
            mixed = clips
        case .mixup(let lambda):
            mixed = try clips.checked.lerp(reversed, weight: 1 - lambda)
        case .cutmix(let box):
            guard box.x >= 0, box.y >= 0, box.x + box.width <= width, box.y + box.height <= height else {
                throw TorchError(
                    code: .value, op: "BatchMix.apply", message: "the CutMix box \(box) is outside \(width)x\(height)")
            }
            mixed = clips.copied()
            let rows = box.y..<(box.y + box.height)
            let columns = box.x..<(box.x + box.width)
            try mixed.checked.assign(
                try reversed.checked.indexed(.ellipsis, rows, columns), at: .ellipsis, rows, columns)
        }
        let y = MixupCutmix.smoothedTargets(labels, classes: classes, smoothing: smoothing)
        let lambda = lambda(width: width, height: height)
        let targets = try y.checked.lerp(try y.checked.flipped([0]), weight: 1 - lambda).checked.to(
            device: clips.device)
        return (mixed, targets)
    }
}

/// Beta(α, α) draws as `X / (X + Y)` of two Gamma(α) draws (Marsaglia & Tsang 2000), from an
/// injected generator (numpy's global generator in timm).
enum Beta {
    static func sample<G: RandomNumberGenerator>(alpha: Double, using generator: inout G) -> Double {
        let x = gamma(alpha, using: &generator)
        let y = gamma(alpha, using: &generator)
        return x + y > 0 ? x / (x + y) : 0.5
    }

    /// Gamma(shape, 1): Marsaglia–Tsang for shape ≥ 1; `Gamma(shape + 1) · U^(1/shape)` below 1.
    static func gamma<G: RandomNumberGenerator>(_ shape: Double, using generator: inout G) -> Double {
        if shape < 1 {
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
            return gamma(shape + 1, using: &generator) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = StandardNormal.sample(using: &generator)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = Double.random(in: 0..<1, using: &generator)
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }
}
