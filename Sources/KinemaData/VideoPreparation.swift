import Foundation
import KinemaVideo
import Synchronization

/// `kinema prepare`: every video under a folder re-encoded once at a short side of N pixels into
/// another folder, at the same relative paths, so that training decodes N-pixel frames instead of
/// full-size ones (decoding costs about in proportion to the pixels: docs/benchmarks.md,
/// "Decoding"). What VideoMAE's users do by hand with ffmpeg before training.
///
/// Frame rate, frame count and aspect ratio are kept; frames are area-averaged down to the short
/// side and never enlarged (a video already at or below it is re-encoded at its own size, so the
/// output folder is the whole dataset in one codec); both sides are even, as the encoders' 4:2:0
/// chroma needs. Each output is written to a hidden temporary file beside it and renamed into place
/// when complete, so a file under its final name is always whole: a rerun skips those (resumable)
/// and redoes the rest, and an interrupted run leaves no half file under a final name. A video that
/// cannot be decoded is reported and the others go on.
public struct VideoPreparation: Sendable {
    /// The codecs it can write, each in its container (the output's extension).
    public enum Codec: String, CaseIterable, Sendable {
        /// MPEG-4 part 2 (FFmpeg's own encoder, in every build), the default: among the fastest to
        /// decode at a quarter of Motion JPEG's size (measured in docs/benchmarks.md, "Decoding").
        case mp4v
        /// H.264 (libx264 where FFmpeg has it): 3.5× smaller files than mp4v, half its decode speed.
        case avc1
        /// Motion JPEG: every frame on its own; as fast to decode as mp4v at 4× its size.
        case mjpg = "MJPG"
        /// FFV1, lossless: 20× mp4v's size and the slowest to decode.
        case ffv1 = "FFV1"

        public var container: String {
            switch self {
            case .mp4v, .avc1: "mp4"
            case .mjpg: "avi"
            case .ffv1: "mkv"
            }
        }
    }

    /// What a run did. Counts of frames and bytes are those of the videos prepared in the run.
    public struct Summary: Sendable {
        public var videos = 0, prepared = 0, skipped = 0
        public var frames = 0, inputBytes = 0, outputBytes = 0
        public var seconds = 0.0
        /// "path: why" for each video that has no output.
        public var failed: [String] = []
        /// "path: what" for each video prepared with a caveat (fewer frames than its container declares).
        public var warnings: [String] = []
        /// Whether the run was stopped before every video was done.
        public var interrupted = false

        mutating func add(_ other: Summary) {
            (prepared, skipped, frames) = (prepared + other.prepared, skipped + other.skipped, frames + other.frames)
            (inputBytes, outputBytes) = (inputBytes + other.inputBytes, outputBytes + other.outputBytes)
            (failed, warnings, interrupted) = (failed + other.failed, warnings + other.warnings, interrupted || other.interrupted)
        }
    }

    /// The short side written, in pixels (even).
    public var shortSide: Int
    public var codec: Codec

    public init(shortSide: Int, codec: Codec = .mp4v) {
        precondition(shortSide >= 2 && shortSide % 2 == 0, "the short side must be even and positive, got \(shortSide)")
        (self.shortSide, self.codec) = (shortSide, codec)
    }

    /// The size a `width × height` video is written at: the short side ``shortSide`` (or the
    /// video's own, rounded down to even, when it is smaller), the long side in proportion rounded
    /// to the nearest even number, never beyond the video's.
    public func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        func evenBelow(_ side: Int) -> Int { max(2, side / 2 * 2) }
        let (short, long) = (min(width, height), max(width, height))
        let newShort = evenBelow(min(short, shortSide))
        let newLong = min(evenBelow(long), max(2, Int((Double(long) * Double(newShort) / Double(short) / 2).rounded()) * 2))
        return width <= height ? (newShort, newLong) : (newLong, newShort)
    }

    /// Prepares every video under `source` (sub-folders included; hidden files left out) into
    /// `output` on `threads` threads, one video each at a time. `stop` is asked between frames: once
    /// it says yes, unfinished outputs are removed and the run returns with ``Summary/interrupted``.
    /// `progress(done, total, summary)` is called after each video, under a lock.
    public func run(
        source: URL, output: URL, threads: Int, stop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (Int, Int, Summary) -> Void = { _, _, _ in }
    ) throws -> Summary {
        let started = Date()
        let pairs = try outputs(source: source, output: output)
        // `a.avi` and `a.mkv` would both become `a.mp4`: the first keeps it.
        let owners = Dictionary(pairs.map { ($0.output, $0.video) }, uniquingKeysWith: { first, _ in first })
        let state = Mutex((done: 0, summary: Summary(videos: pairs.count)))
        _ = try parallelMap(pairs.count, threads: threads) { i in
            let (video, target) = pairs[i]
            var outcome = Summary()
            if owners[target] != video {
                outcome.failed = ["\(video.path): \(owners[target]!.lastPathComponent) also becomes \(target.path); rename one of the two"]
            } else if stop() {
                outcome.interrupted = true
            } else {
                outcome = prepare(video, to: target, stop: stop)
            }
            state.withLock { state in
                state.done += 1
                state.summary.add(outcome)
                state.summary.seconds = Date().timeIntervalSince(started)
                progress(state.done, pairs.count, state.summary)
            }
        }
        var summary = state.withLock { $0.summary }
        // Threads finish in any order; the report lists videos in path order.
        (summary.failed, summary.warnings) = (summary.failed.sorted(), summary.warnings.sorted())
        return summary
    }

    /// Every video under `source` (sub-folders included; hidden files left out), in path order,
    /// with where ``run(source:output:threads:stop:progress:)`` writes it: the same relative path
    /// under `output`, with the codec's container as extension.
    public func outputs(source: URL, output: URL) throws(VideoError) -> [(video: URL, output: URL)] {
        let extensions = MediaLocator.videoExtensions
        return try MediaFiles.listRelative(in: source, extensions: Set(extensions), kind: "videos (\(extensions.joined(separator: "/")))")
            .map { ($0.url, output.appendingPathComponent(($0.relative as NSString).deletingPathExtension + "." + codec.container)) }
    }

    /// One video into `target`: skipped when that is already complete at the size this run would
    /// write. A failure is in the summary's ``Summary/failed``, not thrown.
    public func prepare(_ video: URL, to target: URL, stop: () -> Bool = { false }) -> Summary {
        var outcome = Summary()
        let files = FileManager.default
        do {
            let declared = try VideoReader(video).metadata
            let size = outputSize(width: declared.width, height: declared.height)
            if let existing = try? VideoReader(target), (existing.metadata.width, existing.metadata.height) == size {
                outcome.skipped = 1
                return outcome
            }
            let reader = try VideoReader(video, size: .exactly(width: size.width, height: size.height))
            try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Hidden (dataset listings skip it) and with the container's extension (FFmpeg picks the
            // container by it); the same name on every run, so a killed run's leftover is overwritten.
            let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial.\(codec.container)")
            defer { try? files.removeItem(at: temporary) }
            let writer = try VideoWriter(url: temporary, width: size.width, height: size.height, fps: declared.fps, codecs: [codec.rawValue])
            var frames = 0
            while let frame = try reader.next() {
                if stop() {
                    outcome.interrupted = true
                    return outcome
                }
                try writer.write(frame)
                frames += 1
            }
            try writer.finish()
            guard rename(temporary.path, target.path) == 0 else {
                throw VideoError(target, .writeFailed("cannot rename the finished \(temporary.lastPathComponent) to it: \(String(cString: strerror(errno)))"))
            }
            if let shortfall = reader.shortfall { outcome.warnings = [shortfall.description] }
            outcome.prepared = 1
            outcome.frames = frames
            func bytes(_ url: URL) -> Int { ((try? files.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0 }
            (outcome.inputBytes, outcome.outputBytes) = (bytes(video), bytes(target))
        } catch {
            // Video errors name their file; say which video a write error belongs to.
            let text = "\(error)"
            outcome.failed = [text.hasPrefix(video.path) ? text : "\(video.path): \(text)"]
        }
        return outcome
    }
}
