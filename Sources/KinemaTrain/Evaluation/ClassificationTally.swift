/// Video-level classification results accumulated one video at a time: top-1 and top-k accuracy,
/// per-class accuracy and the confusion matrix (rows true class, columns top-1 prediction, as
/// scikit-learn and KinemaVisualize's `ConfusionMatrix`).
public struct ClassificationTally: Sendable, Equatable {
    /// The k of ``topKAccuracy``: 5, or every class when there are fewer.
    public let k: Int
    /// `confusion[truth][predicted]` counts.
    public private(set) var confusion: [[Int]]
    /// Videos whose label is among their k best classes.
    public private(set) var topKHits = 0

    /// An empty tally over `classes` classes, counting top-`k` hits (capped at `classes`).
    public init(classes: Int, k: Int = 5) {
        precondition(classes >= 1 && k >= 1, "a tally needs ≥ 1 class and k ≥ 1")
        self.k = min(k, classes)
        confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    }

    /// The indices of the `k` largest scores, best first; equal scores keep the lower class
    /// first (as `argmax` does).
    public static func topK(_ scores: [Float], k: Int) -> [Int] {
        Array(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k))
    }

    /// Adds a video of class `truth` with class `scores`; returns its top-k classes.
    @discardableResult
    public mutating func add(truth: Int, scores: [Float]) -> [Int] {
        precondition(scores.count == confusion.count && confusion.indices.contains(truth), "truth or scores outside the classes")
        let best = Self.topK(scores, k: k)
        confusion[truth][best[0]] += 1
        if best.contains(truth) { topKHits += 1 }
        return best
    }

    /// Videos added.
    public var count: Int { confusion.joined().reduce(0, +) }

    /// The fraction of videos whose best class is right (0 for an empty tally).
    public var top1: Double {
        Double(confusion.indices.map { confusion[$0][$0] }.reduce(0, +)) / Double(max(count, 1))
    }

    /// The fraction of videos whose label is among their k best classes.
    public var topKAccuracy: Double { Double(topKHits) / Double(max(count, 1)) }

    /// Per true class, the fraction predicted right (recall); nil for a class without videos.
    public var accuracyPerClass: [Double?] {
        confusion.enumerated().map { t, row in
            let total = row.reduce(0, +)
            return total > 0 ? Double(row[t]) / Double(total) : nil
        }
    }

    /// The mean of the per-class accuracies over classes that have videos (UCF101's "mean class
    /// accuracy"; equal to top-1 on balanced test sets).
    public var meanClassAccuracy: Double {
        let present = accuracyPerClass.compactMap { $0 }
        return present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
    }
}
