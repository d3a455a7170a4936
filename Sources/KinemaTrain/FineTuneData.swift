import Foundation
import KinemaData

extension FineTuneDataSettings {
    /// The training and test videos these settings name, the test set in the training set's label
    /// space. Rows that cannot be used are skipped and listed in each dataset's `problems`.
    public func datasets() throws(DatasetError) -> (train: VideoDataset, test: VideoDataset) {
        let train = try dataset(.train)
        return (train, try dataset(.test, classNames: train.classNames))
    }

    /// The test videos in the training set's label space (the training annotation is read only
    /// for formats whose test files do not fix the labels).
    public func testDataset() throws(DatasetError) -> VideoDataset {
        ["ucf101", "hmdb51", "ssv2"].contains(format) ? try dataset(.test) : try datasets().test
    }

    /// The training side of a dataset read as fine-tuning reads it, with no test file given so its
    /// test side cannot come in: what the pretraining commands learn from.
    public static func trainingSide(
        format: String, videos: String, splits: String, split: Int, train: String, labels: String
    ) throws(DatasetError) -> VideoDataset {
        var dataset = FineTuneDataSettings()
        (dataset.format, dataset.videos, dataset.splits, dataset.split) = (format, videos, splits, split)
        (dataset.train, dataset.test, dataset.labels) = (train, "", labels)
        return try dataset.dataset(.train)
    }

    /// One side of the dataset; `classNames` (the training set's) fixes the labels of formats
    /// whose files do not (Kinetics, lists, folders).
    public func dataset(_ subset: DatasetSubset, classNames: [String]? = nil) throws(DatasetError) -> VideoDataset {
        let root = URL(fileURLWithPath: videos)
        let file = URL(fileURLWithPath: subset == .train ? train : test)
        switch format {
        case "ucf101":
            return try .ucf101(videos: root, splits: URL(fileURLWithPath: splits), split: split, subset: subset)
        case "hmdb51":
            return try .hmdb51(videos: root, splits: URL(fileURLWithPath: splits), split: split, subset: subset)
        case "kinetics":
            return try .kinetics(csv: file, videos: root, classNames: classNames)
        case "ssv2":
            return try .somethingSomethingV2(labels: URL(fileURLWithPath: labels), annotations: file, videos: root)
        case "list":
            return try .pathLabelList(file, root: videos.isEmpty ? nil : root, classNames: classNames)
        case "folders":
            let dataset = try VideoDataset.classFolders(file)
            if let classNames, dataset.classNames != classNames {
                throw DatasetError(
                    file.path,
                    "its class folders (\(dataset.classNames.count)) are not the training folder's "
                        + "(\(classNames.count)): the two sides must hold the same class names")
            }
            return dataset
        default:
            throw DatasetError("data.format", "unknown format '\(format)'")
        }
    }
}
