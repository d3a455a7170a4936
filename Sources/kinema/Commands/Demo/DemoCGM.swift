import Foundation
import KinemaFiles
import KinemaMotion
import KinemaTrain
import KinemaVisualize

/// The demo's CGM-Net part: pretraining on the video, then its motion maps against optical flow
/// on the video's held-out end (CGM-Net Table 1 at toy scale).
enum DemoCGM {
    /// The flow methods the motion maps are scored against.
    static let flows = ["dis-fast", "farneback", "tvl1"]

    static func run(video: URL, sources: ConfigSources, resume: Bool) throws
        -> (section: DemoReport.Section, measure: DemoComparison.Measure)
    {
        let config = try Demo.config(CGMPretrainConfig.self, sources)
        let folder = URL(fileURLWithPath: config.run.output)
        print("== CGM-Net: motion maps on \(video.lastPathComponent)")
        let summary = try CGMPretrain.train(config, resume: resume)

        // Scored on what training never sampled: the held-out end of the video, at the run's geometry.
        print("scoring the motion maps on the held-out end of \(video.lastPathComponent) against \(flows.joined(separator: ", ")) …")
        var settings = CGMMotionEvaluation.Settings()
        settings.geometry = CGMClipReader.Geometry(
            frames: config.data.frames, shortSide: config.data.decodeShortSide, crop: config.data.cropSize, stride: config.data.stride)
        settings.heldOutFraction = config.data.heldOutFraction
        let methods: [any MotionReconstructor] = [CopyReconstructor()] + (try flows.map { try FlowReconstructor(named: $0) })
            + [try CGMNetReconstructor(run: folder)]
        let report = try CGMMotionEvaluation.run(videos: [video], methods: methods, settings: settings)
        try AtomicFile.write(Data(report.markdown.utf8), to: folder.appendingPathComponent("motion-quality.md"))
        let table = DemoReport.Table(
            caption: "Motion quality on the held-out end of \(video.lastPathComponent): \(report.clips.count) clips "
                + "(mean [95 % bootstrap interval over clips])",
            header: ["method", "warp ℓ1 ↓", "next-frame PSNR (dB) ↑", "next-frame SSIM ↑"],
            rows: report.rows.map { row in
                [row.method, interval(row.l1, 4), interval(row.psnr, 2), interval(row.ssim, 4)]
            })

        let name = folder.lastPathComponent
        let pictures = CGMPretrain.pictures(config, summary).map { RunReport.Picture(path: "\(name)/\($0.path)", caption: $0.caption) }
        let section = DemoReport.Section(
            title: "CGM-Net: motion maps that make the next frame",
            text: [
                "A 3-D CNN encodes the clip; a decoder turns its features into a k × k filter per pixel and frame — a motion "
                    + "map — at low resolution, which the context-guided upsampling layer lifts to full resolution with each "
                    + "frame's own edges. Applied to frame t, map t must make frame t + 1; the last map predicts the frame after "
                    + "the clip, which the network never sees.",
            ],
            summary: CGMPretrain.summaryRows(config, summary), tables: [table], pictures: pictures, link: "\(name)/report.html")
        let cgm = report.rows.last!
        let best = report.rows.filter { flows.contains($0.method) }.min { $0.l1.mean < $1.l1.mean }!
        let measure = DemoComparison.Measure(
            method: "CGM-Net", task: "synthesise each held-out frame from the one before (warp ℓ1)",
            result: String(format: "ℓ1 %.4f", cgm.l1.mean),
            bar: String(format: "copying %.4f; ", report.rows[0].l1.mean) + best.method + String(format: " %.4f", best.l1.mean),
            steps: summary.steps, seconds: summary.seconds)
        return (section, measure)
    }

    private static func interval(_ value: BootstrapInterval, _ digits: Int) -> String {
        String(format: "%.\(digits)f [%.\(digits)f, %.\(digits)f]", value.mean, value.low, value.high)
    }
}
