/// A rectangle of a frame, in pixels.
public struct CropBox: Sendable, Equatable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// Multi-view testing: each test video is seen as K temporal clips × M spatial crops, whose scores
/// are fused (MoSI §4; MME Appendix D; docs/reference-implementations.md §1.9, §3.9). Frames are
/// resized so that their short side is ``shortSide``, then square crops of ``cropSize`` are cut: one
/// centred crop when M = 1; when M = 3, left/centre/right along a landscape frame's width
/// (top/centre/bottom along a portrait frame's height), centred on the short side — SlowFast's,
/// TAdaConv's and VideoMAE's crops.
///
/// View `v` is temporal clip `v / M`, spatial crop `v % M`.
public struct TestViews: Sendable, Equatable, Codable {
    /// Temporal clips per video, K.
    public var clips: Int
    /// Spatial crops per clip, M.
    public var crops: Int
    /// Frames are resized to this short side before cropping.
    public var shortSide: Int
    /// Side of the square crops.
    public var cropSize: Int

    public init(clips: Int, crops: Int, shortSide: Int, cropSize: Int) {
        self.clips = clips
        self.crops = crops
        self.shortSide = shortSide
        self.cropSize = cropSize
    }

    /// MoSI's test protocol as it produced the MODEL_ZOO numbers: 10 clips × 1 centre crop of
    /// 112, the crop being 0.875 of the short side (`AutoResizedCropVideo(112, scale=224/256)`;
    /// 112 / 0.875 = 128).
    public static let mosi = TestViews(clips: 10, crops: 1, shortSide: 128, cropSize: 112)
    /// VideoMAE's UCF101/HMDB51 protocol: 10 clips × 3 crops of 224 after a 224 short-side resize.
    public static let videoMAE = TestViews(clips: 10, crops: 3, shortSide: 224, cropSize: 224)

    /// Views per video, K × M.
    public var count: Int { clips * crops }

    /// Throws unless K, M ≥ 1 and 1 ≤ cropSize ≤ shortSide.
    public func validate() throws(DatasetError) {
        guard clips >= 1, crops >= 1 else {
            throw DatasetError("test views", "need ≥ 1 clip and ≥ 1 crop, got \(clips) × \(crops)")
        }
        guard cropSize >= 1, cropSize <= shortSide else {
            throw DatasetError("test views", "crop size \(cropSize) must be in 1…shortSide (\(shortSide))")
        }
    }

    /// The M crop boxes of a `width × height` frame: along the long side at offsets
    /// `m · (long − crop) / (M − 1)` (integer division; the centre one alone when M = 1), centred
    /// on the short side at `(short − crop) / 2`.
    public func cropBoxes(width: Int, height: Int) throws(DatasetError) -> [CropBox] {
        guard cropSize <= width, cropSize <= height else {
            throw DatasetError("test views", "a \(cropSize)² crop does not fit a \(width)x\(height) frame")
        }
        let landscape = width >= height
        let (long, short) = landscape ? (width, height) : (height, width)
        let across = (short - cropSize) / 2
        return (0..<crops).map { m in
            let along = crops == 1 ? (long - cropSize) / 2 : m * (long - cropSize) / (crops - 1)
            return landscape
                ? CropBox(x: along, y: across, width: cropSize, height: cropSize)
                : CropBox(x: across, y: along, width: cropSize, height: cropSize)
        }
    }
}
