import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaTensor

/// One test video's fused prediction.
public struct VideoPrediction: Codable, Sendable, Equatable {
    public var path: String
    public var label: Int
    /// The k best classes, best first.
    public var top: [Int]
    /// Their fused probabilities.
    public var probabilities: [Double]
    /// Every class's fused probability, in class order: what compares two given classes for every
    /// video (the frame-order control decides each clip of a time-reversed pair between its two
    /// classes, whichever class came first).
    public var scores: [Double]
}

/// The result of a multi-view test: what `evaluation.json` holds.
public struct EvaluationResult: Codable, Sendable {
    /// Video-level top-1 accuracy (fused over all views).
    public var top1: Double
    /// Video-level top-k accuracy, k = ``k`` (5, or the number of classes when fewer).
    public var topK: Double
    public var k: Int
    /// Mean of ``accuracyPerClass`` over classes with test videos.
    public var meanClassAccuracy: Double
    /// Per class, the fraction of its videos classified right; nil for a class without test videos.
    public var accuracyPerClass: [Double?]
    /// `confusion[truth][predicted]`.
    public var confusion: [[Int]]
    public var classNames: [String]
    /// The top-1 accuracy of a uniform guess, 1 / classes.
    public var chance: Double
    /// Videos scored (``skipped`` ones excluded).
    public var videos: Int
    /// The views each video was seen as.
    public var views: TestViews
    public var fusion = "mean of per-view softmax"
    public var skipped: [SkippedVideo]
    public var predictions: [VideoPrediction]
    public var seconds: Double

    /// Scalars for metrics.jsonl and TensorBoard.
    public var scalars: [String: Double] {
        ["top1": top1, "top\(k)": topK, "mean_class_accuracy": meanClassAccuracy]
    }

    /// The metrics.jsonl confusion record of `split` at `step` (KinemaVisualize's RunReport draws it).
    public func confusionRecord(split: String, step: Int) -> [String: any Sendable] {
        [
            "split": split, "step": step, "confusion": confusion, "labels": classNames,
            "accuracy_per_class": accuracyPerClass.map { $0 ?? 0 },
        ]
    }

    /// Writes the result as pretty JSON, atomically.
    public func write(to url: URL) throws {
        try RunProvenance.writeJSON(self, to: url)
    }
}

/// Multi-view testing of a classifier (docs/reference-implementations.md §1.9, §3.9, §5.2): each video is seen as
/// K temporal clips × M spatial crops (``VideoClipLoader/testClips(_:)``), the model's softmax is
/// averaged over the views (``ViewFusion``), and the fused scores give video-level top-1/top-5,
/// per-class accuracy and the confusion matrix (``ClassificationTally``).
///
/// ```swift
/// let loader = try config.data.loader()                                   // 10 clips × 1 crop
/// let result = try Evaluation.run(model, on: test, loader: loader, input: input)
/// print(result.top1, result.topK)
/// try result.write(to: folder.appendingPathComponent("evaluation.json"))
/// ```
public enum Evaluation {
    /// Tests `model` (in evaluation mode, without gradients) on `videos` of `dataset` (all by
    /// default). `clipsPerBatch` bounds the clips of one forward pass (at least one video's
    /// views); `threads` decode. `progress(done, total)` reports videos done.
    public static func run(
        _ model: any Backbone, on dataset: VideoDataset, videos: [Int]? = nil, loader: VideoClipLoader,
        input: ClipInput, clipsPerBatch: Int = 16, threads: Int = 1, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> EvaluationResult {
        let started = Date()
        let videos = videos ?? Array(dataset.items.indices)
        let classes = dataset.classNames.count
        var tally = ClassificationTally(classes: classes)
        var predictions: [VideoPrediction] = []
        var skipped: [SkippedVideo] = []
        let views = loader.testViews.count
        let stream = TestViewStream(
            dataset: dataset, videos: videos, loader: loader, clipsPerChunk: clipsPerBatch, threads: threads)
        try stream.forEach { chunk in
            skipped += chunk.skipped.map { SkippedVideo(path: dataset[$0.video].url.path, error: $0.error) }
            if !chunk.videos.isEmpty {
                let x = try input.tensor(chunk.views.flatMap { $0 }, threads: threads)
                let logits = withNoGrad { model(x, mode: .eval) }
                guard logits.shape[1] == classes else {
                    throw TrainingRunError(
                        "the model has \(logits.shape[1]) outputs but the dataset \(classes) classes: "
                            + "evaluate a model fine-tuned on this dataset's classes")
                }
                let fused = try ViewFusion.softmaxMean(logits, views: views).to(.cpu).to(.float32).array(of: Float.self)
                for (n, video) in chunk.videos.enumerated() {
                    let scores = Array(fused[(n * classes)..<((n + 1) * classes)])
                    let item = dataset[video]
                    let top = tally.add(truth: item.label, scores: scores)
                    predictions.append(
                        VideoPrediction(
                            path: item.url.path, label: item.label, top: top, probabilities: top.map { Double(scores[$0]) },
                            scores: scores.map(Double.init)))
                }
            }
            progress(predictions.count + skipped.count, videos.count)
        }
        guard tally.count > 0 else {
            throw TrainingRunError(
                "no test video could be decoded (\(skipped.count) skipped; first: \(skipped.first.map { "\($0.path): \($0.error)" } ?? "none"))")
        }
        return EvaluationResult(
            top1: tally.top1, topK: tally.topKAccuracy, k: tally.k, meanClassAccuracy: tally.meanClassAccuracy,
            accuracyPerClass: tally.accuracyPerClass, confusion: tally.confusion, classNames: dataset.classNames,
            chance: 1 / Double(classes), videos: tally.count, views: loader.testViews, skipped: skipped, predictions: predictions,
            seconds: Date().timeIntervalSince(started))
    }

    /// `count` of `total` indices spread evenly (all of them when `count` is 0 or ≥ `total`): the
    /// validation subset, the same at every validation.
    public static func evenlySpread(_ count: Int, of total: Int) -> [Int] {
        guard count > 0, count < total else { return Array(0..<total) }
        return (0..<count).map { $0 * total / count }
    }
}
