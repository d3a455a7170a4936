import Foundation
import KinemaVideo

/// Decodes the clips of a ``VideoItem`` for training and testing: which frames
/// (``ClipSampling``), at what size, and how they are cut (``ClipAugmentation`` for training,
/// ``TestViews`` for testing; a ``ClipControl`` may reorder or freeze the frames). The result is RGB ``Image``s — plain values a loader thread can
/// hand over — that ``ClipTensor`` turns into `[C, T, H, W]` / `[N, C, T, H, W]` tensors on the
/// compute thread.
///
/// Containers sometimes declare more frames than decode (or none): when a sampled frame is past
/// the real end, the frames are counted exactly and the clip is sampled again.
public struct VideoClipLoader: Sendable {
    public var sampling: ClipSampling
    /// The size frames are decoded at before the training crop (e.g. `.shortSide(128)`; decoding
    /// smaller is much faster than decoding full size and cropping a small region).
    public var trainingSize: FrameSize
    public var augmentation: ClipAugmentation
    public var testViews: TestViews
    /// A control that reorders or freezes every clip's frames (``ClipControl/none``: clips as sampled).
    public var control: ClipControl
    /// The frame rate assumed for frame folders (they declare none).
    public var folderFPS: Double

    public init(
        sampling: ClipSampling, trainingSize: FrameSize, augmentation: ClipAugmentation, testViews: TestViews,
        control: ClipControl = .none, folderFPS: Double = 30
    ) throws(DatasetError) {
        try sampling.validate()
        try augmentation.validate()
        try testViews.validate()
        try control.validate()
        guard folderFPS > 0 else { throw DatasetError("clip loader", "folderFPS must be positive, got \(folderFPS)") }
        self.sampling = sampling
        self.trainingSize = trainingSize
        self.augmentation = augmentation
        self.testViews = testViews
        self.control = control
        self.folderFPS = folderFPS
    }

    /// One augmented training clip: ``ClipSampling/frames`` frames of
    /// ``ClipAugmentation/cropSize``², drawn with `generator` (seed it from the run seed, epoch and
    /// item index for a reproducible epoch).
    public func trainingClip<G: RandomNumberGenerator>(_ item: VideoItem, using generator: inout G) throws(VideoError)
        -> [Image]
    {
        try trainingClips(item, count: 1, using: &generator)[0]
    }

    /// `count` training clips of one video for repeated augmentation (Hoffer et al. 2020; VideoMAE's
    /// `--num_sample`): the frames are sampled and decoded once, then augmented `count` times
    /// independently, as VideoMAE's `__getitem__` calls `_aug_frame` on one decoded buffer. Every
    /// draw comes from `generator`, in order: the frames, then each clip's augmentation.
    public func trainingClips<G: RandomNumberGenerator>(_ item: VideoItem, count: Int, using generator: inout G)
        throws(VideoError) -> [[Image]]
    {
        precondition(count >= 1, "a video gives at least one clip")
        let frames = try trainingFrames(item, using: &generator)
        var clips: [[Image]] = []
        for _ in 0..<count {
            let transform = augmentation.sample(width: frames[0].width, height: frames[0].height, using: &generator)
            clips.append(try transform.apply(to: frames))
        }
        return clips
    }

    /// The frames of one training clip at ``trainingSize``, before any crop: for trainers that cut
    /// clips their own way (VideoMAE's multi-scale crop). The clip lies in `portion` of the video
    /// (fractions of its frames; `0..<0.8`: the first 80 %).
    public func trainingFrames<G: RandomNumberGenerator>(
        _ item: VideoItem, portion: Range<Double> = 0..<1, using generator: inout G
    ) throws(VideoError) -> [Image] {
        try decode(item, size: trainingSize) { frameCount, fps in
            Self.within(portion, of: frameCount) { count in
                let clip = sampling.trainingClip(frameCount: count, videoFPS: fps, using: &generator)
                return [control.trainingFrames(clip, using: &generator)]
            }
        }[0]
    }

    /// The video's frames at its full rate, `count` of them from a training clip's first frame on
    /// (the last frame of `portion` repeats past its end), at ``trainingSize`` before any crop: for
    /// targets computed between the sampled frames (MME's trajectories track every frame). With
    /// exact-stride sampling (``ClipSampling/targetFPS`` nil) and `count ≥ (T − 1)·s + 1` the clip
    /// itself is `frames[0], frames[s], …, frames[(T − 1)·s]`, exactly the frames
    /// ``trainingFrames(_:portion:using:)`` gives for the same generator; frame-order controls do
    /// not apply.
    public func trainingSpan<G: RandomNumberGenerator>(
        _ item: VideoItem, count: Int, portion: Range<Double> = 0..<1, using generator: inout G
    ) throws(VideoError) -> [Image] {
        try locatedTrainingSpan(item, count: count, portion: portion, using: &generator).frames
    }

    /// ``trainingSpan(_:count:portion:using:)`` with the index in the video of each frame (a
    /// span running past the end repeats the last frame): what a cache of per-frame data needs.
    public func locatedTrainingSpan<G: RandomNumberGenerator>(
        _ item: VideoItem, count: Int, portion: Range<Double> = 0..<1, using generator: inout G
    ) throws(VideoError) -> (frames: [Image], indices: [Int]) {
        precondition(sampling.targetFPS == nil, "a full-rate span needs exact-stride sampling (targetFPS nil)")
        precondition(count >= (sampling.frames - 1) * sampling.stride + 1, "a span of \(count) frames is shorter than a clip")
        var indices: [Int] = []
        let frames = try decode(item, size: trainingSize) { frameCount, fps in
            let span = Self.within(portion, of: frameCount) { available in
                let first = sampling.trainingClip(frameCount: available, videoFPS: fps, using: &generator)[0]
                return [(first..<(first + count)).map { min($0, available - 1) }]
            }
            indices = span[0]
            return span
        }[0]
        return (frames, indices)
    }

    /// Every frame of a video at ``trainingSize``, decoded as the training spans decode them.
    public func allTrainingFrames(_ item: VideoItem) throws(VideoError) -> [Image] {
        try decode(item, size: trainingSize) { frameCount, _ in [Array(0..<frameCount)] }[0]
    }

    /// The ``TestViews/count`` views of a test video, view `k · M + m` being temporal clip k cut
    /// at spatial crop m; every distinct frame is decoded once. The clips are spread over `portion`
    /// of the video (fractions of its frames).
    public func testClips(_ item: VideoItem, portion: Range<Double> = 0..<1) throws(VideoError) -> [[Image]] {
        let clips = try decode(item, size: .shortSide(testViews.shortSide)) { frameCount, fps in
            Self.within(portion, of: frameCount) { count in
                sampling.testClips(testViews.clips, frameCount: count, videoFPS: fps).enumerated().map { k, clip in
                    control.testFrames(clip, video: item.url.lastPathComponent, clip: k)
                }
            }
        }
        let boxes: [CropBox]
        do { boxes = try testViews.cropBoxes(width: clips[0][0].width, height: clips[0][0].height) } catch {
            throw VideoError(item.url, .invalidArgument(error.message))
        }
        var views: [[Image]] = []
        for clip in clips {
            for box in boxes {
                views.append(try ClipTransform(crop: box, outputSize: testViews.cropSize).apply(to: clip))
            }
        }
        return views
    }

    /// The clips `sample` picks from a video of `frameCount` frames cut down to `portion` of it
    /// (at least one frame), as indices into the whole video.
    private static func within(_ portion: Range<Double>, of frameCount: Int, _ sample: (Int) -> [[Int]]) -> [[Int]] {
        let first = min(Int(Double(frameCount) * portion.lowerBound), max(frameCount - 1, 0))
        let end = max(Int(Double(frameCount) * portion.upperBound), first + 1)
        return sample(end - first).map { clip in clip.map { $0 + first } }
    }

    /// The frames of the clips `indices` picks for a video of (frame count, fps).
    private func decode(
        _ item: VideoItem, size: FrameSize, indices: (_ frameCount: Int, _ fps: Double) -> [[Int]]
    ) throws(VideoError) -> [[Image]] {
        let reader = try VideoReader(item.url, size: size, folderFPS: folderFPS)
        let fps = reader.metadata.fps
        if reader.metadata.frameCount > 0 {
            do {
                return try read(reader, indices(reader.metadata.frameCount, fps))
            } catch let error where error.isPastTheEnd {
                // The container over-declares: count what decodes, and sample again below.
            }
        }
        let decodable = try reader.countFrames()
        guard decodable > 0 else { throw VideoError(item.url, .noFrames("no frame decodes")) }
        return try read(VideoReader(item.url, size: size, folderFPS: folderFPS), indices(decodable, fps))
    }

    private func read(_ reader: VideoReader, _ clips: [[Int]]) throws(VideoError) -> [[Image]] {
        let frames = try reader.frames(at: clips.flatMap { $0 })
        var offset = 0
        return clips.map { clip in
            defer { offset += clip.count }
            return Array(frames[offset..<(offset + clip.count)])
        }
    }
}

extension VideoError {
    /// A requested frame lies past where the stream really ends.
    fileprivate var isPastTheEnd: Bool {
        switch reason {
        case .truncated, .frameOutOfRange: true
        default: false
        }
    }
}
