import Foundation

/// Random erasing (Zhong et al., "Random Erasing Data Augmentation", AAAI 2020) in timm's "pixel"
/// mode, as VideoMAE fine-tunes with it (`--reprob 0.25 --remode pixel --recount 1`; MME Appendix D
/// Table 15): a box covering a uniform fraction [0.02, 1/3] of the frame, with a log-uniform aspect
/// ratio in [0.3, 1/0.3], is replaced by per-pixel N(0, 1) values — noise in the normalised space,
/// so it runs after normalisation (and before mixup).
///
/// Two placements (``Mode``):
/// - ``Mode/clip`` (the official default): VideoMAE's `random_erasing.py` (from PySlowFast) is
///   called on the `[T, C, H, W]` clip with `cube=True`, its default: one probability draw and one
///   box (up to 100 tries) for the whole clip, the same place in every frame, fresh noise per frame.
/// - ``Mode/frame``: timm 0.4.12's `RandomErasing` on the same tensor treats it as a batch of
///   images: each frame draws its own probability and box (up to 10 tries).
///
/// ``sample(frames:width:height:using:)`` draws the boxes and a noise seed (all the randomness);
/// ``ClipErasure/apply(to:clip:)`` renders them exactly.
public struct RandomErasing: Sendable, Equatable, Codable {
    /// Where the boxes go.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// One box for the whole clip (VideoMAE).
        case clip
        /// An independent box (and probability draw) per frame (timm on a frame batch).
        case frame
    }

    /// The probability of erasing (per clip, or per frame in ``Mode/frame``).
    public var probability: Double
    public var mode: Mode
    /// The erased fraction of the frame area (timm's `min_area`, `max_area`).
    public var area: ClosedRange<Double>
    /// Height / width of the box, drawn log-uniformly (timm's `min_aspect` … 1 / `min_aspect`).
    public var aspectRatio: ClosedRange<Double>

    public init(
        probability: Double = 0.25, mode: Mode = .clip, area: ClosedRange<Double> = 0.02...(1.0 / 3),
        aspectRatio: ClosedRange<Double> = 0.3...(1 / 0.3)
    ) {
        self.probability = probability
        self.mode = mode
        self.area = area
        self.aspectRatio = aspectRatio
    }

    /// Tries at a box that fits before giving up: VideoMAE's cube 100, timm's per-image 10.
    var attempts: Int { mode == .clip ? 100 : 10 }

    public func validate() throws(DatasetError) {
        guard (0...1).contains(probability) else {
            throw DatasetError("randomErasing", "the probability must be in [0, 1], got \(probability)")
        }
        guard area.lowerBound > 0, area.upperBound <= 1, aspectRatio.lowerBound > 0, aspectRatio.upperBound.isFinite else {
            throw DatasetError("randomErasing", "area must lie in (0, 1] and aspect ratios be positive, got \(area), \(aspectRatio)")
        }
    }

    /// The erasure of one clip of `frames` frames of `width × height`.
    public func sample<G: RandomNumberGenerator>(frames: Int, width: Int, height: Int, using generator: inout G)
        -> ClipErasure
    {
        let boxes: [CropBox?] =
            switch mode {
            case .clip:
                Array(repeating: box(width: width, height: height, using: &generator), count: frames)
            case .frame:
                (0..<frames).map { _ in box(width: width, height: height, using: &generator) }
            }
        return ClipErasure(boxes: boxes, noiseSeed: UInt64.random(in: 0...UInt64.max, using: &generator))
    }

    /// timm's `_erase` for one image: nothing with probability 1 − p; else the first box of
    /// `attempts` draws that fits strictly inside the frame (`w < W and h < H`), or nothing.
    private func box<G: RandomNumberGenerator>(width: Int, height: Int, using generator: inout G) -> CropBox? {
        guard Double.random(in: 0..<1, using: &generator) < probability else { return nil }
        let logRatio = log(aspectRatio.lowerBound)...log(aspectRatio.upperBound)
        for _ in 0..<attempts {
            let target = Double.random(in: area, using: &generator) * Double(width * height)
            let aspect = exp(Double.random(in: logRatio, using: &generator))
            // Python's round(): ties to even.
            let h = Int((target * aspect).squareRoot().rounded(.toNearestOrEven))
            let w = Int((target / aspect).squareRoot().rounded(.toNearestOrEven))
            if w < width && h < height {
                let top = Int.random(in: 0...(height - h), using: &generator)
                let left = Int.random(in: 0...(width - w), using: &generator)
                return CropBox(x: left, y: top, width: w, height: h)
            }
        }
        return nil
    }
}
