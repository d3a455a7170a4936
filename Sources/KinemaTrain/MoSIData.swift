// Where MoSI's source images come from: a folder of images or videos, or the training side of a
// labelled video dataset read as fine-tuning reads it. The official code pretrains on a dataset's
// train list only, one uniformly random frame per video per epoch (MoSI §4 "Data preparations";
// docs/reference-implementations.md §1.1), so that the videos fine-tuning later tests on are never
// seen, not even as still frames.
import Foundation
import KinemaData

/// Where the still images come from.
public struct MoSIDataSettings: ConfigSection, Equatable {
    /// "" reads `source` as a folder (all its images, or with `videos` all its videos). A dataset
    /// format of `kinema finetune` ("ucf101", "hmdb51", "kinetics", "ssv2", "list", "folders")
    /// reads that dataset's training side only — UCF101's `trainlist0<split>.txt`, HMDB51's
    /// id-1 rows, the `train` file — never its test side; `source` is then the videos' root.
    public var format = ""
    /// A folder of images (searched recursively: jpg, png, …) or, with `videos`, a folder of videos;
    /// with a `format`, the dataset's videos (fine-tuning's `data.videos`).
    public var source = ""
    /// Read `source` as videos instead of images (a `format` always reads videos).
    public var videos = false
    /// With `format` ucf101/hmdb51: the official split files' folder and the split (1–3).
    public var splits = ""
    public var split = 1
    /// With `format` kinetics/ssv2/list: the training annotation file; with "folders", the
    /// training folder. With ssv2, `labels` is something-something-v2-labels.json.
    public var train = ""
    public var labels = ""
    /// The input statistics, "kinetics" (0.45 / 0.225, MoSI's) or "imagenet" (the official configs
    /// that pretrain on ImageNet). Recorded with the run: fine-tuning, Grad-CAM and feature
    /// extraction from it use the same.
    public var normalization = InputNormalization.kinetics.rawValue
    /// Source images per step; each gives all C_T clips (the same-batch layout, §3.1).
    public var imagesPerStep = 4
    /// Images kept out of training for validation: the last ones by file name in a folder, or
    /// videos spread evenly over a dataset's training list (whose order is class by class).
    public var validationImages = 4
    /// Threads that render pseudo motions, on top of the training thread(s).
    public var generatorThreads = 1

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        if format.isEmpty {
            problems.check(!source.isEmpty, "source", "names no folder of images or videos")
        } else {
            problems.check(
                FineTuneDataSettings.formats.contains(format), "format",
                "must be empty (a folder) or one of \(FineTuneDataSettings.formats.joined(separator: ", ")), got '\(format)'")
            if ["ucf101", "hmdb51", "kinetics", "ssv2"].contains(format) {
                problems.check(!source.isEmpty, "source", "names no folder of \(format) videos")
            }
            if ["ucf101", "hmdb51"].contains(format) {
                problems.check(!splits.isEmpty, "splits", "names no folder of \(format) split files")
                problems.check((1...3).contains(split), "split", "must be 1, 2 or 3, got \(split)")
            } else {
                problems.check(!train.isEmpty, "train", "names no training \(format == "folders" ? "folder" : "annotation file")")
            }
            if format == "ssv2" { problems.check(!labels.isEmpty, "labels", "names no something-something-v2-labels.json") }
        }
        problems.check(
            InputNormalization(rawValue: normalization) != nil, "normalization",
            "must be \(InputNormalization.names), got '\(normalization)'")
        problems.check(imagesPerStep > 0, "imagesPerStep", "must be positive, got \(imagesPerStep)")
        problems.check(validationImages >= 0, "validationImages", "must be ≥ 0, got \(validationImages)")
        problems.check(generatorThreads > 0, "generatorThreads", "must be positive, got \(generatorThreads)")
    }

    /// The input normalisation `normalization` names.
    public var inputNormalization: InputNormalization { InputNormalization(rawValue: normalization) ?? .kinetics }

    /// The training side of the dataset `format` names (``FineTuneDataSettings/trainingSide(format:videos:splits:split:train:labels:)``).
    public func trainingVideos() throws(DatasetError) -> VideoDataset {
        try FineTuneDataSettings.trainingSide(
            format: format, videos: source, splits: splits, split: split, train: train, labels: labels)
    }

    /// The training and validation images, and the dataset rows skipped as unusable (a `format`
    /// only).
    func sources() throws -> (training: any StillImageSource, validation: any StillImageSource, skipped: [DatasetProblem]) {
        let all: any StillImageSource
        let held: [Int]
        var skipped: [DatasetProblem] = []
        if format.isEmpty {
            let folder = URL(fileURLWithPath: source)
            all = videos ? try VideoFrameSource(folder: folder) : try ImageFolderSource(folder)
            held = Array(max(0, all.count - validationImages)..<all.count)
        } else {
            let dataset = try trainingVideos()
            all = try VideoFrameSource(videos: dataset.items.map(\.url))
            skipped = dataset.problems
            held = validationImages > 0 ? Evaluation.evenlySpread(min(validationImages, all.count), of: all.count) : []
        }
        guard all.count > held.count else {
            throw TrainingRunError(
                "\(format.isEmpty ? source : "the \(format) training list") holds \(all.count) items, not more than the "
                    + "\(validationImages) kept for validation")
        }
        let heldSet = Set(held)
        return (
            subset(all, (0..<all.count).filter { !heldSet.contains($0) }), subset(all, held), skipped
        )
    }

    private func subset(_ base: some StillImageSource, _ indices: [Int]) -> any StillImageSource {
        SourceSubset(base, indices: indices)
    }
}
