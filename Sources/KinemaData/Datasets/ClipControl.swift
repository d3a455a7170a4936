/// What a control run takes away from every clip (training and test) so that a benchmark can show
/// that its labels need motion: the order of the frames (``frameOrder``) or everything but one
/// frame's appearance (``singleFrame``). It acts on the frame indices ``ClipSampling`` picks, before
/// anything is decoded, so the augmentation that follows (a crop and colour jitter constant over
/// the clip) keeps a single-frame clip's frames identical.
///
/// Randomness: a training clip draws from the clip's own generator (the loader's, seeded from the
/// run seed and the sample's index), so runs stay deterministic and resumable; a test clip is
/// fixed by the video's file name and the clip's index, so every evaluation of a video sees the
/// same frames.
public struct ClipControl: Sendable, Equatable, Codable {
    public var frameOrder: FrameOrder
    /// Every clip is one of its frames repeated: at training a random frame of the sampled clip,
    /// at test the centre frame (index T/2) of each test clip.
    public var singleFrame: Bool

    public init(frameOrder: FrameOrder = .natural, singleFrame: Bool = false) {
        self.frameOrder = frameOrder
        self.singleFrame = singleFrame
    }

    /// No control: clips as sampled.
    public static let none = ClipControl()

    /// Throws when both controls are asked for: a clip of one repeated frame has no order to change.
    public func validate() throws(DatasetError) {
        guard !(singleFrame && frameOrder != .natural) else {
            throw DatasetError(
                "singleFrame", "repeats one frame, which has no order: frameOrder must be natural with it, got \(frameOrder.rawValue)")
        }
    }

    /// The frames of a training clip sampled as `clip`.
    public func trainingFrames<G: RandomNumberGenerator>(_ clip: [Int], using generator: inout G) -> [Int] {
        guard !clip.isEmpty else { return clip }
        if singleFrame { return Array(repeating: clip.randomElement(using: &generator)!, count: clip.count) }
        return frameOrder.apply(to: clip, using: &generator)
    }

    /// The frames of test clip `k` of the video named `video` (its file name), sampled as `clip`.
    public func testFrames(_ clip: [Int], video: String, clip k: Int) -> [Int] {
        guard !clip.isEmpty else { return clip }
        if singleFrame { return Array(repeating: clip[clip.count / 2], count: clip.count) }
        var generator = SeededGenerator(seed: Self.fnv1a(video), index: k)
        return frameOrder.apply(to: clip, using: &generator)
    }

    /// FNV-1a, 64 bits: a hash of the name that, unlike `Hasher`, is the same in every process.
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}
