import ArgumentParser
import Foundation
import KinemaData
import KinemaTrain
import KinemaVisualize
import KinemaFiles

/// `kinema features`: a backbone's features of a dataset, and a 2-D map of them (MoSI Fig. 5).
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract a checkpoint's clip and video features of a dataset and plot them in 2-D by class.",
        discussion: """
            Works with any Kinema checkpoint — a MoSI or VideoMAE run straight after pretraining, or a \
            fine-tuned one — and with VideoMAE checkpoints from outside (a transformers folder, an \
            official checkpoint converted with pth_to_safetensors.py; pretraining ones included). The dataset, clip and view settings are a fine-tuning config's (data.*): the \
            checkpoint's own run config when it was a fine-tuning, overlaid with --config and --set. \
            Each video is decoded as the multi-view test does (data.testClips × data.testCrops views); \
            the backbone's pooled features of every view are its clip features, their mean its video \
            feature.

            Writes, into --output: features.safetensors (clip_features [N, V, D], video_features \
            [N, D], labels [N]; class names and paths in its metadata, for numpy/PyTorch) and \
            embedding.svg, the video features in 2-D coloured by class: exact t-SNE (perplexity 30, \
            PCA start; up to 2000 videos) or PCA (--embedding pca, or more videos).

            Examples:
              kinema features runs/mosi --config configs/finetune/mosi_ucf101.yaml --set data.videos=/data/UCF101 --set data.splits=/data/ucfTrainTestlist --max-videos 1000
              kinema features runs/motion-finetune --subset train --embedding pca
            """)

    @OptionGroup var options: CheckpointOptions

    @Option(help: "Which side of the dataset: train or test.")
    var subset = DatasetSubset.test

    @Option(help: "Use at most this many videos, evenly spread over the list (0: all).")
    var maxVideos = 0

    @Option(help: "tsne or pca (tsne falls back to pca above 2000 videos).")
    var embedding = "tsne"

    @Option(help: ArgumentHelp("Folder for features.safetensors and embedding.svg (default: <run>/features).", valueName: "dir"))
    var output: String?

    func validate() throws {
        guard ["tsne", "pca"].contains(embedding) else { throw ValidationError("--embedding must be tsne or pca, got '\(embedding)'") }
        guard maxVideos >= 0 else { throw ValidationError("--max-videos must be ≥ 0 (0: all)") }
    }

    func run() throws {
        let (checkpoint, config) = try options.load(requireFineTuned: false)
        let dataset = subset == .test ? try config.data.testDataset() : try config.data.dataset(.train)
        let videos = Evaluation.evenlySpread(maxVideos, of: dataset.count)
        print("\(checkpoint.format) at \(checkpoint.url.path); "
            + "\(videos.count) \(subset.rawValue) videos × \(config.data.testClips * config.data.testCrops) views")
        let bar = ProgressBar(total: videos.count, label: "features")
        let features = try Evaluation.features(
            checkpoint.backbone, of: dataset, videos: videos, loader: try config.data.loader(),
            input: options.input(for: checkpoint, config), clipsPerBatch: config.data.batchSize,
            threads: config.data.loaderThreads
        ) { done, _ in bar.update(done) }
        if !features.skipped.isEmpty { print("skipped \(features.skipped.count) videos that did not decode") }

        let folder = output.map { URL(fileURLWithPath: $0) } ?? checkpoint.outputFolder.appendingPathComponent("features")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try features.write(
            to: folder.appendingPathComponent("features.safetensors"),
            description: "\(checkpoint.format) at \(checkpoint.url.path), "
                + "\(subset.rawValue) videos, \(config.data.testClips)x\(config.data.testCrops) views")

        let useTSNE = embedding == "tsne" && features.labels.count <= 2000
        let map = useTSNE ? Embedding2D.tsne(features.videoFeatures) : Embedding2D.pca(features.videoFeatures)
        let plot = try EmbeddingPlot(
            points: map.array(of: Double.self), labels: features.labels, classNames: features.classNames,
            title: "\(useTSNE ? "t-SNE" : "PCA") of \(checkpoint.format) features, "
                + "\(features.labels.count) \(subset.rawValue) videos")
        try AtomicFile.write(Data(plot.svg().utf8), to: folder.appendingPathComponent("embedding.svg"))
        print("wrote \(folder.path)/features.safetensors and embedding.svg (\(useTSNE ? "t-SNE" : "PCA"))")
    }
}

extension DatasetSubset: ExpressibleByArgument {}
