import ArgumentParser
import Foundation
import KinemaTrain

/// `kinema evaluate`: the multi-view test of a fine-tuned checkpoint.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Test a fine-tuned checkpoint: K clips × M crops per video, softmax fusion, top-1/top-5.",
        discussion: """
            Reads the dataset, clip and view settings from the config of the run that wrote the \
            checkpoint (a `kinema finetune` run), overlaid with --config and --set: point data.videos \
            elsewhere, or change the views (data.testClips, data.testCrops, data.testShortSide). A \
            classifier from outside Kinema (a transformers VideoMAE folder such as one downloaded from \
            the Hub, or an official VideoMAE checkpoint converted with pth_to_safetensors.py) has no \
            run config: its clip, sampling and statistics come from the checkpoint, the views are \
            VideoMAE's Kinetics test (5 clips × 3 crops), and --config names the dataset. Each \
            test video is seen as K temporal clips × M spatial crops; the per-view softmax is averaged \
            (VideoMAE; TAdaConv sums, which ranks the same) and the fused scores give video-level top-1 \
            and top-5 accuracy, per-class accuracy and the confusion matrix.

            Writes evaluation.json (every number, each video's top-5) and appends the scalars and the \
            confusion record to metrics.jsonl under split "test", in --output (default: the run folder).

            Examples:
              kinema evaluate runs/ucf101
              kinema evaluate runs/ucf101 --set data.testCrops=3 --set data.testShortSide=112 --output runs/ucf101/3crop
              kinema evaluate runs/ucf101/checkpoints/step-00005000.safetensors --set data.split=2 --device cuda
              kinema evaluate videomae-base-finetuned-kinetics --config k400-test.yaml --output runs/hub-k400
            """)

    @OptionGroup var options: CheckpointOptions

    @Option(help: ArgumentHelp("Folder for evaluation.json and metrics.jsonl (default: the run folder).", valueName: "dir"))
    var output: String?

    func run() throws {
        let (checkpoint, config) = try options.load(requireFineTuned: true)
        let test = try config.data.testDataset()
        guard test.classNames.count == checkpoint.classes else {
            throw ValidationError(
                "the checkpoint classifies \(checkpoint.classes) classes but the test set has \(test.classNames.count)")
        }
        print("\(checkpoint.format); \(test.count) test videos × \(config.data.testClips) clips × \(config.data.testCrops) crops")
        let bar = ProgressBar(total: test.count, label: "test")
        let result = try Evaluation.run(
            checkpoint.backbone, on: test, loader: try config.data.loader(), input: options.input(for: checkpoint, config),
            clipsPerBatch: config.data.batchSize, threads: config.data.loaderThreads
        ) { done, _ in bar.update(done) }
        printEvaluation(result)

        let folder = output.map { URL(fileURLWithPath: $0) } ?? checkpoint.outputFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try result.write(to: folder.appendingPathComponent("evaluation.json"))
        let metrics = try MetricsLog(folder.appendingPathComponent("metrics.jsonl"), append: true)
        let step = checkpoint.kinema?.step ?? 0
        var scalars: [String: any Sendable] = ["split": "test", "step": step]
        for (name, value) in result.scalars { scalars[name] = value }
        try metrics.write(scalars)
        try metrics.write(result.confusionRecord(split: "test", step: step))
        print("wrote \(folder.path)/evaluation.json")
    }
}
