import Foundation

/// One labelled video of a dataset: a video file, or a folder holding its frames as images
/// (jpg/png/…, ordered by name, as frame-extraction scripts write them).
public struct VideoItem: Sendable, Hashable {
    /// The video file or frame folder.
    public var url: URL
    /// 0-based class index into ``VideoDataset/classNames``.
    public var label: Int
    /// True when `url` is a folder of frames rather than a video file.
    public var isFrameFolder: Bool

    public init(url: URL, label: Int, isFrameFolder: Bool = false) {
        self.url = url
        self.label = label
        self.isFrameFolder = isFrameFolder
    }
}

/// A labelled list of videos for action recognition, read from one of the annotation formats
/// researchers ship (UCF101, HMDB51, Kinetics, Something-Something v2, `path label` lists, a
/// folder per class; docs/reference-implementations.md §5.1).
///
/// Reading never stops at a bad row: a missing video, an unknown class, a label out of range or a
/// line that does not parse is skipped and recorded in ``problems`` (file, line, what is wrong),
/// because a few broken entries among thousands are normal for these datasets. Only what makes
/// the whole list unusable throws a ``DatasetError``: an annotation file that cannot be read, an
/// unusable class list, or no video left after the bad rows are skipped.
public struct VideoDataset: Sendable {
    /// The videos, in the order of the annotation file.
    public let items: [VideoItem]
    /// Class names indexed by label.
    public let classNames: [String]
    /// Rows that were skipped, with where and why.
    public let problems: [DatasetProblem]

    /// A dataset over given items. Throws when `items` is empty or a label is outside `classNames`.
    public init(items: [VideoItem], classNames: [String], problems: [DatasetProblem] = [], source: String = "dataset")
        throws(DatasetError)
    {
        // No usable item first: skipped rows (bad labels, missing videos) say why there is none.
        guard !items.isEmpty else {
            let shown = problems.prefix(5).map { "\n  \($0)" }.joined()
            let more = problems.count > 5 ? "\n  … and \(problems.count - 5) more" : ""
            throw DatasetError(
                source,
                problems.isEmpty
                    ? "no videos listed"
                    : "no usable video: all \(problems.count) listed rows were skipped:\(shown)\(more)")
        }
        guard !classNames.isEmpty else { throw DatasetError(source, "the dataset has no classes") }
        if let bad = items.first(where: { !classNames.indices.contains($0.label) }) {
            throw DatasetError(source, "\(bad.url.path) has label \(bad.label), outside 0..<\(classNames.count)")
        }
        self.items = items
        self.classNames = classNames
        self.problems = problems
    }

    /// The number of videos.
    public var count: Int { items.count }

    /// Video `index`.
    public subscript(index: Int) -> VideoItem { items[index] }

    /// Videos per class, indexed by label.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for item in items { counts[item.label] += 1 }
        return counts
    }
}

/// Which side of an official train/test split to read.
public enum DatasetSubset: String, Sendable, Codable, CaseIterable {
    case train
    case test
}
