import ArgumentParser
import Foundation
import KinemaModels
import KinemaTrain
import KinemaVisualize

/// `kinema gradcam`: where a pretrained backbone looks in a real video (MoSI Fig. 4).
struct GradCAMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcam",
        abstract: "Draw Grad-CAM heat maps of a pretrained backbone over a real video.",
        discussion: """
            Loads the checkpoint (a run folder or a .safetensors file written by a Kinema run, a \
            transformers VideoMAE classifier folder, or an official VideoMAE classifier converted with \
            pth_to_safetensors.py), \
            slides clips over VIDEO and writes, into --output, an animation of each frame with the \
            class activation map of the chosen stage laid over it (gradcam.mp4 or .gif) and a grid \
            of 8 frames (gradcam-grid.png). No fine-tuning is needed: MoSI Fig. 4 shows that a \
            pretext-trained backbone already attends to the moving parts of a scene. With --flow the \
            optical-flow magnitude is drawn beside each frame, to compare attention with motion. A \
            vision transformer sees the middle square of each frame: its position table holds only \
            the token grid it was trained on.

            Examples:
              kinema gradcam runs/demo .deps/data/videos/vtest.avi --flow
              kinema gradcam runs/mosi/checkpoints/step-00002000.safetensors walk.mp4 --stage 3 --format gif
              kinema gradcam videomae-base-finetuned-kinetics walk.mp4 --stage 11
            """)

    @Argument(help: "A Kinema run folder or checkpoint file, a transformers VideoMAE folder, or a converted VideoMAE checkpoint.")
    var checkpoint: String

    @OptionGroup var modelSize: CheckpointSizeOption

    @Argument(help: "A video file or a folder of frames.")
    var video: String

    @Option(help: "Folder for gradcam.mp4/.gif and gradcam-grid.png (default: the run folder, or next to the checkpoint).")
    var output: String?

    @Option(help: "Stage to explain: 0 is the stem, the last stage by default (`kinema info` lists them).")
    var stage: Int?

    @Option(help: "Frames per clip (default: the checkpoint's clip length).")
    var clipLength: Int?

    @Option(help: "Short side of the decoded frames in pixels (default: the checkpoint's crop size).")
    var size: Int?

    @Option(help: "Decode at most this many frames from the start.")
    var maxFrames: Int?

    @Option(help: "Class to explain (default: each clip's predicted class).")
    var targetClass: Int?

    @Flag(help: "Explain each clip's most probable motion: a MoSI pretraining run's prediction among every class but the still one, (0, 0), whose evidence is wherever nothing moves.")
    var motion = false

    @Option(help: "Animation container: mp4 or gif.")
    var format: String = "mp4"

    @Flag(help: "Draw the optical-flow magnitude beside each frame.")
    var flow = false

    func validate() throws {
        guard GradCAMVideo.AnimationFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be mp4 or gif, got '\(format)'")
        }
        for (name, value) in [("--clip-length", clipLength), ("--size", size), ("--max-frames", maxFrames)] {
            if let value, value < 1 { throw ValidationError("\(name) must be positive, got \(value)") }
        }
        if motion, targetClass != nil { throw ValidationError("--motion chooses the class itself: drop --target-class") }
    }

    /// With --motion, the still class (the only one a motion explanation skips).
    private func excludedClasses(_ checkpoint: ClassifierCheckpoint) throws -> Set<Int> {
        guard motion else { return [] }
        guard let still = checkpoint.kinema?.mosiStillClass else {
            throw ValidationError("--motion needs a MoSI pretraining run (its head's classes are motions)")
        }
        return [still]
    }

    func run() throws {
        let checkpoint = try ClassifierCheckpoint.load(URL(fileURLWithPath: self.checkpoint), model: try modelSize.name())
        for note in checkpoint.notes { print("note: \(note)") }
        let folder = output.map { URL(fileURLWithPath: $0) } ?? checkpoint.outputFolder
        let stages = checkpoint.backbone.stages.count
        if let stage, !(0..<stages).contains(stage) {
            throw ValidationError("--stage must be in 0..<\(stages) for this model, got \(stage)")
        }
        print("\(checkpoint.format): \(checkpoint.classes) classes, clips of \(checkpoint.clip)")
        let out = try GradCAMVideo.render(
            backbone: checkpoint.backbone, statistics: checkpoint.statistics, video: URL(fileURLWithPath: video), stage: stage,
            clipLength: clipLength ?? checkpoint.clip.frames, size: size ?? checkpoint.clip.height,
            square: checkpoint.backbone is VisionTransformer, output: folder, withFlow: flow,
            format: GradCAMVideo.AnimationFormat(rawValue: format)!, targetClass: targetClass,
            excluding: try excludedClasses(checkpoint), maxFrames: maxFrames)
        print("wrote \(out.animation.path) and \(out.grid.path) (\(out.frameCount) frames)")
    }
}
