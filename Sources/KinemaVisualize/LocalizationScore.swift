import KinemaVideo

/// Per pixel of a clip, at the size the model sees it: which share of the pixel shows a moving
/// object, a still object and the background (the three sum to 1).
public struct LocalizationRegions: Sendable, Equatable {
    public let frames: Int
    public let width: Int
    public let height: Int
    /// `[T · H · W]`, frame-major, row-major.
    public let moving: [Float]
    public let still: [Float]
    public let background: [Float]

    /// From one region image per frame (RGB: red the moving share, green the still share, blue the
    /// background's, as ``MotionBenchmarkRegions`` draws them), each pixel normalised to sum to 1 so
    /// that rounding and resizing leave a partition of the pixel.
    public init(images: [Image]) throws(VisualizeError) {
        guard let first = images.first else { throw .invalid("regions need at least one frame") }
        guard images.allSatisfy({ $0.format == .rgb && $0.width == first.width && $0.height == first.height }) else {
            throw .invalid("region images must be RGB and of one size (\(first.width)x\(first.height))")
        }
        let count = images.count * first.width * first.height
        var moving = [Float](repeating: 0, count: count), still = moving, background = moving
        var i = 0
        for image in images {
            for p in 0..<(image.width * image.height) {
                let (r, g, b) = (Float(image.pixels[p * 3]), Float(image.pixels[p * 3 + 1]), Float(image.pixels[p * 3 + 2]))
                let sum = r + g + b
                // A pixel with no share at all (not drawn by MotionBenchmarkRegions) is background.
                if sum > 0 { (moving[i], still[i], background[i]) = (r / sum, g / sum, b / sum) } else { background[i] = 1 }
                i += 1
            }
        }
        (frames, width, height) = (images.count, first.width, first.height)
        (self.moving, self.still, self.background) = (moving, still, background)
    }
}

/// How much of one Grad-CAM map (Selvaraju et al., ICCV 2017) lies on the moving objects of a clip:
/// the measurable form of MoSI Fig. 4, whose conv5 maps of a MoSI-pretrained model, without
/// fine-tuning, light up where the motion is (Huang et al., CVPR 2021, §4.1 and §3.2: the static
/// mask is what makes the model "spot where the motion is happening" rather than read global motion).
///
/// With `m(p) ≥ 0` the map at pixel `p` (all `T × H × W` pixels of the clip) and `w_k(p)` the share of
/// pixel `p` in region `k` (``LocalizationRegions``):
///
///     mass_k = Σ_p m(p) w_k(p) / Σ_p m(p)        area_k = Σ_p w_k(p) / (T H W)
///
/// so the three masses sum to 1, as the three areas do, and a map that carries no information (the
/// same value everywhere) scores mass_k = area_k: mass above area is concentration on the region.
/// `pointing` is the pointing game (Zhang et al., "Top-down Neural Attention by Excitation Backprop",
/// ECCV 2016) per frame, without tolerance: the fraction of frames whose map peaks (first maximum)
/// on a pixel that is more than half moving object; a frame whose map is zero everywhere points
/// nowhere and misses.
public struct LocalizationScore: Sendable, Codable, Equatable {
    public var movingMass: Double
    public var stillMass: Double
    public var backgroundMass: Double
    public var movingArea: Double
    public var stillArea: Double
    public var backgroundArea: Double
    public var pointing: Double

    /// The score of `map` (`[T · H · W]`, laid out as `regions`, non-negative); nil when the map is
    /// zero everywhere (no position speaks for the class: there is no mass to share).
    public init?(map: [Float], regions: LocalizationRegions) throws(VisualizeError) {
        let plane = regions.width * regions.height
        guard map.count == regions.frames * plane else {
            throw .invalid("the map has \(map.count) values, the regions \(regions.frames) × \(regions.height) × \(regions.width)")
        }
        guard map.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw .invalid("a Grad-CAM map is finite and non-negative") }
        var (total, moving, still, background) = (0.0, 0.0, 0.0, 0.0)
        for p in map.indices {
            let m = Double(map[p])
            total += m
            moving += m * Double(regions.moving[p])
            still += m * Double(regions.still[p])
            background += m * Double(regions.background[p])
        }
        guard total > 0 else { return nil }
        (movingMass, stillMass, backgroundMass) = (moving / total, still / total, background / total)
        func area(_ share: [Float]) -> Double { share.reduce(0.0) { $0 + Double($1) } / Double(share.count) }
        (movingArea, stillArea, backgroundArea) = (area(regions.moving), area(regions.still), area(regions.background))
        var hits = 0
        for t in 0..<regions.frames {
            var peak = t * plane
            for p in (t * plane)..<((t + 1) * plane) where map[p] > map[peak] { peak = p }
            if map[peak] > 0 && regions.moving[peak] > 0.5 { hits += 1 }
        }
        pointing = Double(hits) / Double(regions.frames)
    }
}
