/// A confusion matrix of class counts: `counts[t][p]` samples of true class `t` were predicted as
/// class `p` (rows true, columns predicted, scikit-learn's convention).
///
/// In `metrics.jsonl` it is one record (``record``), e.g.
///
///     {"split": "validation", "step": 240, "labels": ["1x", "2x", "4x"], "confusion": [[9, 1, 0], [2, 8, 0], [0, 0, 10]]}
///
/// `labels` may be left out (the classes are then named 0, 1, …); other numeric keys on the same
/// line are read as metrics too.
public struct ConfusionMatrix: Sendable, Equatable {
    /// The split it was measured on ("validation", "train", "test").
    public let split: String
    public let step: Int
    /// One name per class.
    public let labels: [String]
    /// `[true class][predicted class]`, square, non-negative.
    public let counts: [[Int]]

    /// A matrix from square non-negative `counts`; `labels` (one per class) default to the indices.
    public init(split: String, step: Int, labels: [String]? = nil, counts: [[Int]]) throws(VisualizeError) {
        let n = counts.count
        guard n > 0, counts.allSatisfy({ $0.count == n }) else {
            throw .invalid("a confusion matrix must be square and non-empty, got rows of \(counts.map(\.count))")
        }
        guard counts.joined().allSatisfy({ $0 >= 0 }) else { throw .invalid("confusion counts must not be negative") }
        let labels = labels ?? (0..<n).map(String.init)
        guard labels.count == n else { throw .invalid("\(labels.count) labels for a \(n)-class confusion matrix") }
        self.split = split
        self.step = step
        self.labels = labels
        self.counts = counts
    }

    /// Per true class, the fraction predicted correctly (recall); nil for a class with no samples.
    public var classAccuracy: [Double?] {
        counts.indices.map { t in
            let total = counts[t].reduce(0, +)
            return total > 0 ? Double(counts[t][t]) / Double(total) : nil
        }
    }

    /// The fraction of all samples on the diagonal; nil for an empty matrix.
    public var accuracy: Double? {
        let total = counts.joined().reduce(0, +)
        return total > 0 ? Double(counts.indices.map { counts[$0][$0] }.reduce(0, +)) / Double(total) : nil
    }

    /// The `metrics.jsonl` record (for `MetricsLog.write`).
    public var record: [String: any Sendable] { ["split": split, "step": step, "labels": labels, "confusion": counts] }
}
