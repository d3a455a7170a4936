import ArgumentParser
import Foundation
import KinemaData
import KinemaModels
import KinemaTensor
import KinemaTrain

/// `kinema predict`: what a classifier says about videos.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify videos with a checkpoint: the top classes and their probabilities.",
        discussion: """
            CHECKPOINT is any classifier Kinema reads:
              a Kinema run folder or checkpoint     (kinema finetune; its clip sampling, crop and statistics)
              a transformers VideoMAE folder        (config.json + model.safetensors, e.g. a Hub download; class \
            names from id2label, statistics and crop from preprocessor_config.json)
              an official VideoMAE/MME checkpoint   (converted with Tools/convert/pth_to_safetensors.py; its \
            size is read off the tensor shapes, or name it with --model)

            Each video (a file, or a folder of frames) is seen as the evaluation sees it: --clips temporal \
            clips spread over the video, each cut into --crops square crops after a short-side resize; the \
            softmax is averaged over the views. The default, one centre clip and crop, is right for a clip \
            that is already the model's input size; --clips 10 --crops 3 is VideoMAE's test protocol. \
            Frames, stride and crop come from the checkpoint (a Kinema run's config; a VideoMAE model's \
            frames at VideoMAE's stride 4) unless given; a video shorter than one clip's span is refused \
            with the stride that would fit.

            Class names come from the checkpoint when it records them, else from --classes (one name a \
            line, as many as the classifier has outputs), else "class N".

            Examples:
              kinema predict videomae-base-finetuned-kinetics archery.mp4
              kinema predict videomae-base-finetuned-kinetics *.mp4 --clips 5 --crops 3 --top 3
              kinema predict runs/ucf101 v_ApplyEyeMakeup_g01_c01.avi --json
              kinema predict checkpoint-ft.safetensors clip.mp4 --model vit_b_16 --classes kinetics400.txt
              kinema predict Tests/Fixtures/predict/videomae Tests/Fixtures/predict/clip.avi --stride 1
            """)

    @Argument(help: ArgumentHelp("A Kinema run folder or checkpoint, a transformers VideoMAE folder, or a converted VideoMAE checkpoint.", valueName: "checkpoint"))
    var checkpoint: String

    @Argument(help: ArgumentHelp("Video files or folders of frames.", valueName: "video"))
    var videos: [String]

    @Option(help: "How many of the most probable classes to list.")
    var top = 5

    @Option(help: ArgumentHelp("A text file of class names, one a line in index order (when the checkpoint has none, or to rename them).", valueName: "file"))
    var classes: String?

    @Option(help: "Temporal clips per video, spread from its start to its end.")
    var clips = 1

    @Option(help: "Square crops per clip: 1 (centre) or more along the long side.")
    var crops = 1

    @Option(help: "Frames per clip (default: the checkpoint's).")
    var frames: Int?

    @Option(help: "Step between a clip's frames (default: the checkpoint's; 4 for a VideoMAE model).")
    var stride: Int?

    @Option(help: "Side of the square crops in pixels (default: the checkpoint's input size).")
    var size: Int?

    @Option(help: "Frames are resized to this short side before cropping (default: the checkpoint's).")
    var shortSide: Int?

    @OptionGroup var modelSize: CheckpointSizeOption

    @Flag(help: "Print one JSON document instead of tables (errors included; nothing else is printed).")
    var json = false

    @Option(help: ArgumentHelp("Where to compute: cpu, cuda or cuda:N.", valueName: "device"))
    var device = "cpu"

    @Option(help: "libtorch's intra-op threads (0: one per core).")
    var threads = 0

    func validate() throws {
        guard !videos.isEmpty else { throw ValidationError("name at least one video after the checkpoint") }
        for (name, value) in [("--top", top), ("--clips", clips), ("--crops", crops)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        for (name, value) in [("--frames", frames), ("--stride", stride), ("--size", size), ("--short-side", shortSide)] {
            if let value, value < 1 { throw ValidationError("\(name) must be positive, got \(value)") }
        }
        guard threads >= 0 else { throw ValidationError("--threads must be ≥ 0") }
        guard Device(parsing: device) != nil else { throw ValidationError("--device must be cpu, cuda or cuda:N, got '\(device)'") }
    }

    func run() throws {
        if threads > 0 { Engine.threadCount = threads }
        let device = Device(parsing: device)!
        let classifier = try ClassifierCheckpoint.load(
            URL(fileURLWithPath: checkpoint), model: try modelSize.name(), device: device)
        let names = try classes.map { try ClassNamesFile.read(URL(fileURLWithPath: $0), classes: classifier.classes) }
        let settings = settings(for: classifier)
        var notes = classifier.notes
        if names == nil && classifier.classNames == nil { notes.append("the checkpoint names no classes; --classes FILE names them") }
        if !json {
            print("\(classifier.url.path): \(classifier.format), \(classifier.classes) classes, \(classifier.statistics) statistics")
            print("each video: \(Self.describe(settings))")
            for note in notes { print("note: \(note)") }
        }

        var results: [Result] = []
        for video in videos {
            do {
                let result = try Prediction.classify(
                    URL(fileURLWithPath: video), with: classifier, settings: settings, classNames: names, top: top, device: device)
                results.append(Result(video: video, frames: result.frames, views: result.views, top: result.top, error: nil))
                if !json { print(Self.table(result, label: video)) }
            } catch {
                results.append(Result(video: video, frames: nil, views: nil, top: nil, error: "\(error)"))
                if !json { writeError("error: \(error)\n") }
            }
        }
        if json {
            let report = Report(
                checkpoint: classifier.url.path, format: classifier.format, classes: classifier.classes,
                frames: settings.sampling.frames, stride: settings.sampling.stride, clips: settings.views.clips,
                crops: settings.views.crops, shortSide: settings.views.shortSide, cropSize: settings.views.cropSize,
                notes: notes, predictions: results)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
        if results.contains(where: { $0.error != nil }) { throw ExitCode.failure }
    }

    /// The checkpoint's test settings with the options laid over them; a crop given without a short
    /// side keeps the checkpoint's ratio of the two.
    private func settings(for classifier: ClassifierCheckpoint) -> PredictionSettings {
        var settings = classifier.settings
        if let frames { settings.sampling.frames = frames }
        if let stride { settings.sampling.stride = stride }
        settings.views.clips = clips
        settings.views.crops = crops
        if let size {
            let ratio = Double(settings.views.shortSide) / Double(settings.views.cropSize)
            settings.views.cropSize = size
            settings.views.shortSide = Int((Double(size) * ratio).rounded())
        }
        if let shortSide { settings.views.shortSide = shortSide }
        return settings
    }

    /// "16 frames at stride 4, 1 clip × 1 crop of 224² after a 224 short-side resize".
    static func describe(_ settings: PredictionSettings) -> String {
        let sampling = settings.sampling
        let spacing = sampling.targetFPS.map { "at interval \(sampling.stride) at \($0) fps" } ?? "at stride \(sampling.stride)"
        let views = settings.views
        let plural = { (count: Int, noun: String) in "\(count) \(noun)\(count == 1 ? "" : "s")" }
        return "\(sampling.frames) frames \(spacing), \(plural(views.clips, "clip")) × \(plural(views.crops, "crop")) of "
            + "\(views.cropSize)² after a \(views.shortSide) short-side resize"
    }

    /// The video's top classes as an aligned table.
    static func table(_ result: VideoClassification, label: String) -> String {
        let width = max(5, result.top.map(\.name.count).max() ?? 0)
        var lines = ["\(label) (\(result.frames) frames, \(result.views) view\(result.views == 1 ? "" : "s"))"]
        lines.append("  rank  " + "class".padding(toLength: width, withPad: " ", startingAt: 0) + "  probability")
        for (rank, score) in result.top.enumerated() {
            let number = String(rank + 1)
            lines.append(
                "  " + String(repeating: " ", count: 4 - min(4, number.count)) + number + "  "
                    + score.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + String(format: "%11.4f", score.probability))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `--json`'s document.
    struct Report: Encodable {
        var checkpoint: String
        var format: String
        var classes: Int
        var frames: Int
        var stride: Int
        var clips: Int
        var crops: Int
        var shortSide: Int
        var cropSize: Int
        /// What was assumed or inferred about the checkpoint.
        var notes: [String]
        var predictions: [Result]
    }

    /// One video: its top classes, or why it could not be classified.
    struct Result: Encodable {
        var video: String
        var frames: Int?
        var views: Int?
        var top: [ClassScore]?
        var error: String?
    }
}
