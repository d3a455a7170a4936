/// Which source frames a clip reads, for training (one random clip) and testing (K clips spread
/// over the video): pure index arithmetic, so samplers are tested exactly and randomness stays
/// injected.
///
/// Two frame spacings, after the two reference code bases (docs/reference-implementations.md §1.9, §3.9, §5.2):
/// - exact stride (`targetFPS == nil`, VideoMAE): frames `start, start + s, …, start + (T−1)·s`,
///   a span of `(T−1)·s + 1` source frames;
/// - TAdaConv's interval-based sampling (`targetFPS` set, MoSI's fine-tuning with 30): the clip
///   covers `T·s·fps/targetFPS` source frames, so that the stride means the same time at any frame
///   rate, and frames are `linspace(start, start + span − 1, T)` truncated to integers.
///
/// Training starts are uniform over every start that fits (real-valued for TAdaConv, whole frames
/// for exact strides). A video shorter than the span starts at frame 0 and **repeats its last
/// frame** for the indices past its end (indices are clamped), as both TAdaConv
/// (`torch.clamp(index, 0, len − 1)`) and VideoMAE (padding with the last index) do — never looped.
public struct ClipSampling: Sendable, Equatable, Codable {
    /// Frames per clip, T.
    public var frames: Int
    /// Step between sampled frames, s (in frames at `targetFPS` when that is set).
    public var stride: Int
    /// When set, `stride` counts frames of a video played at this rate (TAdaConv's `TARGET_FPS`).
    public var targetFPS: Double?
    /// Where test clips start.
    public var testPlacement: TestClipPlacement

    public init(
        frames: Int = 16, stride: Int = 4, targetFPS: Double? = nil, testPlacement: TestClipPlacement = .tadaconv
    ) {
        self.frames = frames
        self.stride = stride
        self.targetFPS = targetFPS
        self.testPlacement = testPlacement
    }

    /// MoSI's fine-tuning and test sampling (TAdaConv `finetune.yaml`): 16 frames, interval 4 at 30 fps.
    public static let mosi = ClipSampling(frames: 16, stride: 4, targetFPS: 30, testPlacement: .tadaconv)
    /// VideoMAE's (and MME's) sampling: 16 frames at stride 4, test clips from first to last.
    public static let videoMAE = ClipSampling(frames: 16, stride: 4, targetFPS: nil, testPlacement: .evenlySpaced)

    /// Throws unless frames ≥ 1, stride ≥ 1 and a target frame rate, when given, is positive.
    public func validate() throws(DatasetError) {
        guard frames >= 1 else { throw DatasetError("clip sampling", "frames must be ≥ 1, got \(frames)") }
        guard stride >= 1 else { throw DatasetError("clip sampling", "stride must be ≥ 1, got \(stride)") }
        if let targetFPS, !(targetFPS > 0 && targetFPS.isFinite) {
            throw DatasetError("clip sampling", "targetFPS must be positive, got \(targetFPS)")
        }
    }

    /// The number of source frames a clip covers in a video at `videoFPS` (an unknown rate, 0,
    /// counts as the target rate).
    public func span(videoFPS: Double) -> Double {
        guard let targetFPS else { return Double((frames - 1) * stride + 1) }
        let fps = videoFPS > 0 && videoFPS.isFinite ? videoFPS : targetFPS
        return Double(frames * stride) * fps / targetFPS
    }

    /// The frames of one random training clip of a video of `frameCount` frames (empty when the
    /// video has none).
    public func trainingClip<G: RandomNumberGenerator>(frameCount: Int, videoFPS: Double = 0, using generator: inout G)
        -> [Int]
    {
        let room = max(0, Double(frameCount) - span(videoFPS: videoFPS))
        let start =
            targetFPS == nil
            ? Double(Int.random(in: 0...Int(room), using: &generator))
            : Double.random(in: 0...room, using: &generator)
        return clip(start: start, frameCount: frameCount, videoFPS: videoFPS)
    }

    /// The frames of test clip `k` of `count` (see ``TestClipPlacement``).
    public func testClip(_ k: Int, of count: Int, frameCount: Int, videoFPS: Double = 0) -> [Int] {
        precondition(count >= 1 && (0..<count).contains(k), "test clip \(k) of \(count)")
        let room = max(0, Double(frameCount) - span(videoFPS: videoFPS))
        let start: Double =
            switch (testPlacement, count) {
            case (_, 1): room / 2
            case (.tadaconv, _): room * Double(k) / Double(count)
            case (.evenlySpaced, _): room * Double(k) / Double(count - 1)
            }
        return clip(start: targetFPS == nil ? start.rounded(.down) : start, frameCount: frameCount, videoFPS: videoFPS)
    }

    /// All `count` test clips, in order.
    public func testClips(_ count: Int, frameCount: Int, videoFPS: Double = 0) -> [[Int]] {
        (0..<count).map { testClip($0, of: count, frameCount: frameCount, videoFPS: videoFPS) }
    }

    /// The clip starting at `start`, indices clamped to the video (the last frame repeats).
    ///
    /// Positions are truncated after adding 1e-9, so that a position meant to be a whole frame
    /// (`linspace(0, 63, 16)[5] = 21`) is not lost to rounding (TAdaConv's float32 `linspace` can
    /// land one frame lower there).
    private func clip(start: Double, frameCount: Int, videoFPS: Double) -> [Int] {
        guard frameCount > 0 else { return [] }
        let step =
            targetFPS == nil ? Double(stride) : (frames > 1 ? (span(videoFPS: videoFPS) - 1) / Double(frames - 1) : 0)
        return (0..<frames).map { min(Int(start + Double($0) * step + 1e-9), frameCount - 1) }
    }
}

/// Where the K test clips of a video start, with `room = max(0, frameCount − span)`.
public enum TestClipPlacement: String, Sendable, Codable, CaseIterable {
    /// Clip k at `room · k / K` (TAdaConv's `_interval_based_sampling`: the last clip does not
    /// reach the end).
    case tadaconv
    /// Clip k at `room · k / (K − 1)`: the first clip at the start, the last at the end (VideoMAE's
    /// segments; VideoMAE counts starts on its stride grid, so its starts differ by < one stride).
    case evenlySpaced
}
