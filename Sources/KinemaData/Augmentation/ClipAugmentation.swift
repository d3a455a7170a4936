import KinemaVideo

/// Training augmentation of fine-tuning clips: a random resized crop (one region for the whole clip),
/// a horizontal flip, and a clip-wise colour jitter — the order of MoSI's original fine-tuning
/// pipeline (docs/reference-implementations.md §1.9) — optionally after RandAugment on the decoded
/// frames, where VideoMAE's `_aug_frame` applies it (before its crop). Split into sampler and renderer
/// (docs/architecture-notes.md, "Randomness"): ``sample`` draws a ``ClipTransform`` (all the
/// randomness), ``ClipTransform/apply(to:)`` renders it exactly.
public struct ClipAugmentation: Sendable, Equatable, Codable {
    /// Side of the square output frames.
    public var cropSize: Int
    public var crop: RandomResizedCrop
    /// Probability of mirroring the clip left–right (0 for Something-Something, whose classes
    /// name directions).
    public var flipProbability: Double
    public var colorJitter: ClipColorJitter
    /// RandAugment, one draw per clip (VideoMAE's `--aa`); nil: none.
    public var randAugment: RandAugment?

    public init(
        cropSize: Int, crop: RandomResizedCrop = RandomResizedCrop(), flipProbability: Double = 0.5,
        colorJitter: ClipColorJitter = .none, randAugment: RandAugment? = nil
    ) {
        self.cropSize = cropSize
        self.crop = crop
        self.flipProbability = flipProbability
        self.colorJitter = colorJitter
        self.randAugment = randAugment
    }

    /// MoSI's fine-tuning as it produced the MODEL_ZOO numbers (TAdaConv `fa78f82` = EssentialMC2):
    /// `RandomResizedCropVideo(112, scale = [168², 224²] / (256·340), ratio = [6/7, 7/6])`, flip,
    /// clip-wise colour jitter.
    public static let mosiFineTune = ClipAugmentation(
        cropSize: 112,
        crop: RandomResizedCrop(
            scale: (168.0 * 168 / (256 * 340))...(224.0 * 224 / (256 * 340)), ratio: (6.0 / 7)...(7.0 / 6)),
        flipProbability: 0.5, colorJitter: .mosiFineTune)
    /// VideoMAE's fine-tuning crop and flip (scale [0.25, 1], ratio [3/4, 4/3], MME's `crop_min`;
    /// VideoMAE's own `kinetics.py` draws the scale from [0.08, 1]); set ``randAugment`` for its
    /// RandAugment.
    public static let videoMAE = ClipAugmentation(
        cropSize: 224, crop: RandomResizedCrop(scale: 0.25...1), flipProbability: 0.5)

    public func validate() throws(DatasetError) {
        guard cropSize >= 1 else { throw DatasetError("augmentation", "cropSize must be ≥ 1, got \(cropSize)") }
        guard (0...1).contains(flipProbability) else {
            throw DatasetError("augmentation", "flipProbability must be in [0, 1], got \(flipProbability)")
        }
        try crop.validate()
        try colorJitter.validate()
        try randAugment?.validate()
    }

    /// The transform of one clip whose frames are `width × height`.
    public func sample<G: RandomNumberGenerator>(width: Int, height: Int, using generator: inout G) -> ClipTransform {
        let box = crop.sample(width: width, height: height, using: &generator)
        let flip = flipProbability > 0 && Double.random(in: 0..<1, using: &generator) < flipProbability
        let color = colorJitter.sample(using: &generator)
        return ClipTransform(
            crop: box, outputSize: cropSize, flip: flip, color: color,
            randAugment: randAugment?.sample(using: &generator) ?? [])
    }
}

/// The deterministic part of a clip augmentation (or a test view): apply the `randAugment`
/// operations to every frame, crop it to `crop`, resize it to `outputSize`², mirror it when `flip`,
/// then apply `color`.
public struct ClipTransform: Sendable, Equatable {
    public var crop: CropBox
    public var outputSize: Int
    public var flip: Bool
    public var color: [ColorAdjustment]
    /// Applied in order to the whole frame, before the crop.
    public var randAugment: [RandAugmentOperation]

    public init(
        crop: CropBox, outputSize: Int, flip: Bool = false, color: [ColorAdjustment] = [],
        randAugment: [RandAugmentOperation] = []
    ) {
        self.crop = crop
        self.outputSize = outputSize
        self.flip = flip
        self.color = color
        self.randAugment = randAugment
    }

    /// The transformed frames (RGB). Throws when the crop does not lie inside a frame.
    public func apply(to frames: [Image]) throws(VideoError) -> [Image] {
        var out: [Image] = []
        out.reserveCapacity(frames.count)
        for var frame in frames {
            for operation in randAugment { frame = try operation.apply(to: frame) }
            var image = try frame.cropped(x: crop.x, y: crop.y, width: crop.width, height: crop.height)
                .resized(width: outputSize, height: outputSize)
            if flip { image = image.flippedHorizontally() }
            out.append(image.adjusted(color))
        }
        return out
    }
}
