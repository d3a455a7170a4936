import Foundation
import KinemaTrain
import KinemaVideo
import KinemaVisualize

/// The demo's MME part: the motion targets of a clip of the video, drawn; pretraining on the
/// video; the predicted trajectories of held-out clips before and after.
enum DemoMME {
    static func run(video: URL, sources: ConfigSources, resume: Bool) throws
        -> (section: DemoReport.Section, measure: DemoComparison.Measure)
    {
        let config = try Demo.config(VideoMAEPretrainConfig.self, sources)
        let folder = URL(fileURLWithPath: config.run.output)
        print("== MME: masked motion trajectories on \(video.lastPathComponent)")
        // The clip drawn starts a third into the video (in vtest.avi, people are walking there), or
        // as late as the frames it needs allow; a video shorter than that gets no target picture.
        let frames = try VideoReader(video).metadata.frameCount
        let needed = config.target.motion.rawFramesNeeded(clipFrames: config.data.frames, stride: config.data.stride)
        var targets: URL?
        if frames >= needed {
            let start = min(frames / 3, frames - needed)
            let drawn = try MMETargetsCommand.draw(
                video: video, config: config, start: start, masked: true, seed: config.run.seed, hogTubelet: 0,
                minDisplacement: 0.5, fps: 6, folder: folder)
            print("targets of frames \(start)…: \(drawn.description)")
            targets = drawn.gif
        } else {
            writeError("warning: \(video.lastPathComponent) has \(frames) frames, fewer than the \(needed) one clip's targets span: no target picture\n")
        }

        let summary = try MaskedPretraining.run(config, resume: resume, method: "MME")
        let ratio = summary.validationLoss.flatMap { loss in summary.patchMeanLoss.map { loss / $0 } }
        let before = summary.initialValidationLoss.flatMap { loss in summary.patchMeanLoss.map { loss / $0 } }
        func format(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
        let summaryRows: [(key: String, value: String)] = [
            ("held-out loss / predicting each masked token's mean target", format(ratio)),
            ("targets", "K = \(config.target.motion.pointsPerPatch) points a patch tracked over L = \(config.target.motion.length) "
                + "flow fields (\(config.target.motion.flow)); trajectories + trajectory-aligned HOG"),
            ("model", "\(config.model.name) encoder"),
        ] + MaskedPretraining.summaryRows(config, summary)
        let name = folder.lastPathComponent
        let drawn = targets.map { gif in
            [RunReport.Picture(path: gif.lastPathComponent,
                caption: "MME's targets of one clip: every patch's trajectory through the frames between the sampled ones "
                    + "(coloured by direction and speed; still background left out), masked tubes greyed; right: the "
                    + "trajectory-aligned HOG")]
        } ?? []
        let pictures = (drawn + MaskedPretraining.pictures(config, summary)).map {
            RunReport.Picture(path: "\(name)/\($0.path)", caption: $0.caption)
        }
        let section = DemoReport.Section(
            title: "MME: predicting the motion of masked patches",
            text: [
                "A ViT sees \(Int(((1 - config.model.maskRatio) * 100).rounded())) % of a clip's tubes and predicts, for each hidden one, where its points go over the next "
                    + "frames — trajectories tracked through optical flow after the camera's motion is removed — and the "
                    + "shape of the edges they carry (trajectory-aligned HOG). It learns motion by predicting it.",
            ],
            summary: summaryRows, pictures: pictures, link: "\(name)/report.html")
        let measure = DemoComparison.Measure(
            method: "MME", task: "predict the trajectories and HOG of masked tubes on the held-out end of the video",
            result: "loss ratio \(format(ratio))", bar: "1 = predicting each masked token's mean target (\(format(before)) before training)",
            steps: summary.steps, seconds: summary.seconds)
        return (section, measure)
    }
}
