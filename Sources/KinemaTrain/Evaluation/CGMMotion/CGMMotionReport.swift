import Foundation
import KinemaVisualize

/// The result of ``CGMMotionEvaluation``: one row per method in the layout of CGM-Net's Table 1
/// (Tian et al., ECCV 2020), the videos and clips it was measured on, and every clip's scores.
/// Codable (the JSON report); ``markdown`` renders the table.
public struct CGMMotionReport: Sendable, Codable {
    /// One clip's scores for one method.
    public struct Score: Sendable, Codable, Equatable {
        /// The mean ℓ1 error (images in [−1, 1]) of the `T − 1` synthesised seen frames.
        public let l1: Double
        /// PSNR (dB) of the predicted next frame, capped at ``CGMMotionReport/psnrCap``.
        public let psnr: Double
        /// SSIM of the predicted next frame (``FrameQuality/ssim(_:_:)``).
        public let ssim: Double
        /// Whether the predicted next frame equals the true one exactly (PSNR +∞ before the cap).
        public let exact: Bool
    }

    /// A method's summary: means over clips with 95 % percentile bootstrap intervals over clips.
    public struct Row: Sendable, Codable {
        public let method: String
        /// Table 1 (left): motion-estimation ℓ1 error.
        public let l1: BootstrapInterval
        /// Table 1 (right): 1-step prediction PSNR (dB) and SSIM.
        public let psnr: BootstrapInterval
        public let ssim: BootstrapInterval
        /// Clips whose prediction was exact (their PSNR counts as the cap).
        public let exactPredictions: Int
        public let clips: Int
    }

    public struct Video: Sendable, Codable {
        public let path: String
        /// Frames decoded (all of a video too short for a clip; fewer when the clips per video are limited).
        public let framesRead: Int
        public let clips: Int
    }

    public struct Clip: Sendable, Codable {
        /// Index into ``videos``.
        public let video: Int
        /// The clip's first frame in the video (0-based).
        public let firstFrame: Int
        /// Method name → scores.
        public let scores: [String: Score]
    }

    public let geometry: CGMClipReader.Geometry
    /// Each clip's PSNR is capped at this many dB before averaging (identical frames have +∞).
    public let psnrCap: Double
    public let bootstrap: String
    public let rows: [Row]
    public let videos: [Video]
    public let clips: [Clip]
    public let seconds: Double

    /// The table in Markdown, with a note saying how the numbers were made.
    public var markdown: String {
        func interval(_ value: BootstrapInterval, _ digits: Int) -> String {
            let f = "%.\(digits)f"
            return String(format: "\(f) [\(f), \(f)]", value.mean, value.low, value.high)
        }
        var lines = [
            "| method | ℓ1 error ↓ (seen pairs) | PSNR ↑ (next frame, dB) | SSIM ↑ (next frame) | clips |",
            "|---|---|---|---|---|",
        ]
        for row in rows {
            lines.append("| \(row.method) | \(interval(row.l1, 4)) | \(interval(row.psnr, 2)) | \(interval(row.ssim, 4)) | \(row.clips) |")
        }
        let g = geometry
        let used = videos.filter { $0.clips > 0 }.count
        let exact = rows.filter { $0.exactPredictions > 0 }.map { "\($0.method): \($0.exactPredictions)" }
        lines += [
            "",
            "\(clips.count) clips of \(g.frames + 1) \(g.framesDescription) from \(used) of \(videos.count) videos (short side \(g.shortSide), "
                + "centre \(g.crop)×\(g.crop)); a method sees frames 0…\(g.frames - 1). ℓ1: mean |a − b| on images in [−1, 1] "
                + "over the \(g.frames - 1) frames synthesised from their predecessors (CGM-Net Table 1 left). PSNR (8-bit, capped at "
                + "\(Int(psnrCap)) dB) and SSIM (scikit-image defaults: 7×7 uniform window, sample covariance, data range 255) of the "
                + "predicted frame \(g.frames) (Table 1 right). Mean over clips [\(bootstrap)].",
        ]
        if !exact.isEmpty { lines.append("Exact predictions (PSNR capped): \(exact.joined(separator: ", ")).") }
        return lines.joined(separator: "\n") + "\n"
    }
}
