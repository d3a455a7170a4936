import Foundation
import KinemaData
import KinemaPretext
import KinemaTrain
import KinemaVideo
import KinemaVisualize

/// The demo's MoSI part: pretraining on photos, the pseudo motions of a held-out photo, Grad-CAM
/// over the video.
enum DemoMoSI {
    static func run(photos: String, video: String, sources: ConfigSources, resume: Bool) throws
        -> (section: DemoReport.Section, measure: DemoComparison.Measure)
    {
        var sources = sources
        sources.overrides.insert("data.source=\(photos)", at: 0)
        let config = try Demo.config(MoSIPretrainConfig.self, sources)
        let folder = URL(fileURLWithPath: config.run.output)
        print("== MoSI: pseudo motions from the still photos in \(photos)")
        let summary = try pretrainWithProgress(config, resume: resume)
        try exitIfStoppedBySignal()  // `kinema demo --resume` continues
        let pretrained = try PretrainedBackbone.load(folder)

        print("drawing the pseudo motions of a held-out photo …")
        let sheet = try MoSISampleSheet(
            image: try Image(contentsOf: try heldOutPhoto(config)),
            config: try config.generator.generatorConfig(split: .train), seed: config.run.seed
        ).writeGIF(to: folder.appendingPathComponent("samples.gif")).url

        print("Grad-CAM of the pretrained backbone over \(video) …")
        let gradcam = try GradCAMVideo.render(
            backbone: pretrained.backbone, statistics: InputStatistics(pretrained.normalization), video: URL(fileURLWithPath: video),
            clipLength: config.generator.frames, size: config.generator.standardSize, output: folder,
            withFlow: true, format: .gif, excluding: pretrained.mosiStillClass.map { [$0] } ?? [], maxFrames: 96)

        let videoName = URL(fileURLWithPath: video).lastPathComponent
        let summaryRows: [(key: String, value: String)] = [
            ("pretext validation accuracy", String(format: "%.1f%%", summary.validationAccuracy * 100)),
            ("chance", String(format: "%.1f%%", summary.chance * 100)),
            ("classes", summary.classes.joined(separator: ", ")),
            ("static mask", maskDescription(config.generator)),
            ("model", "\(config.model.name), \(pretrained.backbone.parameterCount) parameters"),
            ("clips", "\(config.generator.frames) × \(config.generator.cropSize) × \(config.generator.cropSize)"),
            ("steps", "\(summary.steps)"),
            ("trainer waiting for data", String(format: "%.1f%%", summary.dataWaitFraction * 100)),
            ("time", String(format: "%.0f s", summary.seconds)),
        ]
        let pictures: [RunReport.Picture] = [
            .init(path: sheet.lastPathComponent, caption: "Pseudo motions of a held-out photo: top masked (Eq. 3), bottom unmasked"),
            .init(path: gradcam.animation.lastPathComponent,
                  caption: "Grad-CAM of the most probable pseudo motion (the still class skipped; last stage) on \(videoName), "
                    + "with the optical-flow magnitude"),
            .init(path: gradcam.grid.lastPathComponent, caption: "Frames, Grad-CAM and flow magnitude (MoSI Fig. 4)"),
        ]
        try RunReport(title: "MoSI demo: motion learned from still photos", summary: summaryRows, pictures: pictures,
                      chance: summary.chance).write(runFolder: folder)

        let section = DemoReport.Section(
            title: "MoSI: motion from still images",
            text: [
                "Pseudo motions — a crop sliding over a still photo in one of \(summary.classes.count) directions and speeds, "
                    + "moving only inside a square while the rest stays still (the static mask, MoSI §3.2) — classified by a "
                    + "3-D CNN. It never sees a real video; Grad-CAM then asks where it looks in \(videoName): on the moving "
                    + "people, if what it learned is motion.",
            ],
            summary: summaryRows,
            pictures: pictures.map { RunReport.Picture(path: "\(folder.lastPathComponent)/\($0.path)", caption: $0.caption) },
            link: "\(folder.lastPathComponent)/report.html")
        let measure = DemoComparison.Measure(
            method: "MoSI", task: "classify the pseudo motion of held-out photos",
            result: String(format: "%.1f %% top-1", summary.validationAccuracy * 100),
            bar: String(format: "chance %.1f %%", summary.chance * 100),
            steps: summary.steps, seconds: summary.seconds)
        return (section, measure)
    }

    /// The static mask in words, e.g. "side ratio 0.3–0.5 (curriculum from 1.0 over 300 steps)".
    static func maskDescription(_ generator: MoSIGeneratorSettings) -> String {
        guard generator.mask != "none" else { return "none (unmasked MoSI: global motion)" }
        let ratio = generator.mask == "fixed" ? "\(generator.maskRatio[0])" : generator.maskRatio.map { "\($0)" }.joined(separator: "–")
        let curriculum = generator.maskCurriculum
        return "side ratio \(ratio)"
            + (curriculum.count == 2 ? " (curriculum from \(curriculum[0]) over \(Int(curriculum[1])) steps)" : "")
    }

    /// The first photo kept out of training (MoSIPretraining holds out the last ones by name).
    private static func heldOutPhoto(_ config: MoSIPretrainConfig) throws -> URL {
        let images = try ImageFolderSource(URL(fileURLWithPath: config.data.source))
        return images.files[images.count - max(config.data.validationImages, 1)]
    }
}
