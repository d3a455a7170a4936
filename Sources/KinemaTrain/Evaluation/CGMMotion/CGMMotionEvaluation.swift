import Foundation
import KinemaVideo
import KinemaVisualize

/// CGM-Net's evaluation of motion representations (Tian et al., ECCV 2020, §4.1, Table 1) on real
/// videos, for any ``MotionReconstructor``: the optical-flow and copy baselines today, the CGM-Net
/// model once it exists.
///
/// Every video is cut into non-overlapping clips of `T + 1` consecutive frames
/// (``CGMClipReader``; videos too short for one clip are skipped and listed). Each method sees the
/// first `T` frames of a clip and is scored by
/// - (a) motion estimation, Table 1 left: the ℓ1 error (``FrameQuality/l1Error(_:_:)``, images in
///   [−1, 1]) between each frame t + 1 it synthesises from frame t and the true one, averaged over
///   the clip's `T − 1` pairs;
/// - (b) 1-step frame prediction, Table 1 right: PSNR and SSIM of its prediction of frame `T`.
///
/// The report gives, per method, the mean over clips with a 95 % percentile bootstrap interval
/// over clips (seeded).
///
/// Differences from the paper: it scored motion on 20 hand-picked UCF-101 videos (UCF-Flow) and
/// prediction on 101 others (UCF-Pred), neither list published; this protocol measures both on
/// the same clips of whatever videos it is given. The paper does not say how it handled borders
/// or which SSIM variant it used: here warps replicate the border and SSIM is scikit-image's
/// default (``FrameQuality/ssim(_:_:)``).
public enum CGMMotionEvaluation {
    /// The cap on a clip's PSNR before averaging: an exact prediction has PSNR +∞, which would make
    /// the mean infinite. 100 dB is above any finite 8-bit PSNR of a 112 × 112 RGB frame (one level
    /// off in one value gives 10 log₁₀(255² · 37632) ≈ 93.9 dB); the report counts exact predictions.
    public static let psnrCap = 100.0

    public struct Settings: Sendable {
        public var geometry = CGMClipReader.Geometry()
        /// At most this many clips from each video, the first ones (nil: all).
        public var clipsPerVideo: Int?
        /// Seed of the bootstrap intervals.
        public var seed: UInt64 = 0
        /// Score only the last fraction of each video's frames (nil: all): the part a training
        /// run with `data.heldOut: end` and this `data.heldOutFraction` never saw.
        public var heldOutFraction: Double?

        public init() {}
    }

    /// Scores `methods` (distinct names) on the clips of `videos`; `progress(done, total)` is called
    /// before the first clip and after each (`total`: the clips the containers declare, at least `done`).
    public static func run(
        videos: [URL], methods: [any MotionReconstructor], settings: Settings = Settings(),
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> CGMMotionReport {
        let start = Date()
        guard !videos.isEmpty else { throw TrainingRunError("no videos to evaluate") }
        guard !methods.isEmpty else { throw TrainingRunError("no methods to evaluate") }
        let names = methods.map(\.name)
        guard Set(names).count == names.count else { throw TrainingRunError("method names must be distinct, got \(names)") }
        if let limit = settings.clipsPerVideo, limit < 1 { throw TrainingRunError("clips per video must be positive, got \(limit)") }
        if let fraction = settings.heldOutFraction, !(fraction > 0 && fraction <= 1) {
            throw TrainingRunError("the held-out fraction must be in (0, 1], got \(fraction)")
        }
        let geometry = settings.geometry
        let skip = settings.heldOutFraction.map { 1 - $0 } ?? 0
        let limit = settings.clipsPerVideo ?? Int.max
        // Open every video once first: a missing or undecodable file fails before any work.
        var total = 0
        for url in videos { total += min(try CGMClipReader(url, geometry: geometry, start: skip).declaredClips, limit) }

        var videoRows: [CGMMotionReport.Video] = []
        var clipRows: [CGMMotionReport.Clip] = []
        progress(0, total)
        for (index, url) in videos.enumerated() {
            var reader = try CGMClipReader(url, geometry: geometry, start: skip)
            var clips = 0
            while clips < limit, let clip = try reader.next() {
                let firstFrame = reader.lastClipStart
                var scores: [String: CGMMotionReport.Score] = [:]
                for method in methods { scores[method.name] = try score(method, on: clip) }
                clipRows.append(CGMMotionReport.Clip(video: index, firstFrame: firstFrame, scores: scores))
                clips += 1
                progress(clipRows.count, max(total, clipRows.count))
            }
            videoRows.append(CGMMotionReport.Video(path: url.path, framesRead: reader.decoded, clips: clips))
        }
        guard !clipRows.isEmpty else {
            let lengths = videoRows.map { "\($0.path) decodes \($0.framesRead) frames" }.joined(separator: "; ")
            throw TrainingRunError("no clip of \(geometry.frames + 1) \(geometry.framesDescription) (T = \(geometry.frames) seen, 1 predicted): \(lengths)")
        }
        let rows = names.map { name in
            let scores = clipRows.map { $0.scores[name]! }
            func summary(_ value: (CGMMotionReport.Score) -> Double) -> BootstrapInterval {
                BootstrapInterval(of: scores.map(value), seed: settings.seed)!
            }
            return CGMMotionReport.Row(
                method: name, l1: summary(\.l1), psnr: summary(\.psnr), ssim: summary(\.ssim),
                exactPredictions: scores.filter(\.exact).count, clips: scores.count)
        }
        return CGMMotionReport(
            geometry: geometry, psnrCap: psnrCap,
            bootstrap: "95 % percentile bootstrap interval over clips, 10000 resamples, seed \(settings.seed)",
            rows: rows, videos: videoRows, clips: clipRows, seconds: Date().timeIntervalSince(start))
    }

    /// One method's scores on one clip of `T + 1` frames: it sees the first `T`.
    public static func score(_ method: any MotionReconstructor, on clip: [Image]) throws -> CGMMotionReport.Score {
        guard clip.count >= 3 else { throw TrainingRunError("a clip needs at least 3 frames (2 seen, 1 predicted), got \(clip.count)") }
        let seenCount = clip.count - 1
        let result = try method.reconstruct(clip: Array(clip.prefix(seenCount)))
        guard result.seen.count == seenCount - 1 else {
            throw TrainingRunError("\(method.name) synthesised \(result.seen.count) frames from a clip of \(seenCount), expected \(seenCount - 1)")
        }
        let truth = clip[0]
        for image in result.seen + [result.next] where image.width != truth.width || image.height != truth.height || image.format != truth.format {
            throw TrainingRunError(
                "\(method.name) returned a \(image.width)x\(image.height) \(image.format) frame for a clip of \(truth.width)x\(truth.height) \(truth.format)")
        }
        var l1 = 0.0
        for (t, image) in result.seen.enumerated() { l1 += try FrameQuality.l1Error(image, clip[t + 1]) }
        let psnr = try FrameQuality.psnr(result.next, clip[seenCount])
        return CGMMotionReport.Score(
            l1: l1 / Double(result.seen.count), psnr: min(psnr, psnrCap), ssim: try FrameQuality.ssim(result.next, clip[seenCount]),
            exact: psnr.isInfinite)
    }
}
