import Foundation

/// A run's `metrics.jsonl` read back: one curve per numeric metric and split, and the latest
/// confusion matrix of each split.
///
/// Each non-empty line is a JSON object with an integer `"step"`, an optional `"split"` (a string,
/// "train" when absent) and any number of metrics:
///
///     {"split": "train", "step": 10, "loss": 0.69, "accuracy": 0.5, "lr": 0.002}
///     {"split": "validation", "step": 20, "accuracy": 0.61}
///     {"split": "validation", "step": 20, "labels": ["a", "b"], "confusion": [[5, 1], [2, 4]]}
///
/// Every number except `step` and `epoch` is a metric (bare `NaN`/`Infinity`, as Python writes
/// them, are accepted and left out of the curves); strings, booleans and arrays other than
/// `confusion`/`labels` are ignored. See ``ConfusionMatrix`` for the confusion record.
public struct MetricsHistory: Sendable {
    /// One logged value.
    public struct Point: Sendable, Equatable {
        public let step: Int
        public let value: Double

        public init(step: Int, value: Double) {
            self.step = step
            self.value = value
        }
    }

    /// `series[metric][split]`: the finite points in file order.
    public private(set) var series: [String: [String: [Point]]] = [:]
    /// The last confusion matrix logged for each split.
    public private(set) var confusions: [String: ConfusionMatrix] = [:]

    /// Keys that count steps rather than measure anything.
    static let counters: Set<String> = ["step", "epoch"]

    /// Reads `url` (a `metrics.jsonl`); a missing file or a malformed line is an error naming it.
    public static func load(_ url: URL) throws(VisualizeError) -> MetricsHistory {
        guard FileManager.default.fileExists(atPath: url.path) else { throw VisualizeError(.missingFile(path: url.path)) }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw VisualizeError(.malformedMetrics(path: url.path, line: 0, why: "not UTF-8 text (\(error.localizedDescription))"))
        }
        return try MetricsHistory(jsonLines: text, source: url.path)
    }

    /// Parses JSON-lines text; `source` names it in errors.
    public init(jsonLines text: String, source: String = "<metrics>") throws(VisualizeError) {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true  // bare NaN / Infinity, as Python's json module writes them
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            func malformed(_ why: String) -> VisualizeError {
                VisualizeError(.malformedMetrics(path: source, line: offset + 1, why: why))
            }
            guard case .object(let record)? = try? decoder.decode(JSONValue.self, from: Data(trimmed.utf8)) else {
                throw malformed("not a JSON object")
            }
            guard case .number(let stepValue)? = record["step"], let step = Int(exactly: stepValue), step >= 0 else {
                throw malformed("needs a non-negative integer \"step\"")
            }
            var split = "train"
            if let value = record["split"] {
                guard case .string(let name) = value else { throw malformed("\"split\" must be a string") }
                split = name
            }
            for (key, value) in record where !Self.counters.contains(key) {
                if case .number(let number) = value, number.isFinite {
                    series[key, default: [:]][split, default: []].append(Point(step: step, value: number))
                }
            }
            if let matrix = record["confusion"] {
                do { confusions[split] = try Self.confusion(matrix, labels: record["labels"], split: split, step: step) } catch {
                    throw malformed(error.description)
                }
            }
        }
    }

    /// Metric names in display order: loss, accuracy, lr, then the rest alphabetically.
    public var metrics: [String] {
        let preferred = ["loss", "accuracy", "lr"]
        return preferred.filter { series[$0] != nil } + series.keys.filter { !preferred.contains($0) }.sorted()
    }

    private static func confusion(_ value: JSONValue, labels: JSONValue?, split: String, step: Int) throws(VisualizeError)
        -> ConfusionMatrix
    {
        guard case .array(let rows) = value else { throw .invalid("\"confusion\" must be an array of rows") }
        let counts = try rows.map { row throws(VisualizeError) in
            guard case .array(let cells) = row else { throw .invalid("each \"confusion\" row must be an array of counts") }
            return try cells.map { cell throws(VisualizeError) in
                guard case .number(let n) = cell, let count = Int(exactly: n) else {
                    throw .invalid("confusion counts must be integers")
                }
                return count
            }
        }
        var names: [String]?
        if let labels {
            guard case .array(let items) = labels else { throw .invalid("\"labels\" must be an array of strings") }
            names = try items.map { item throws(VisualizeError) in
                guard case .string(let name) = item else { throw .invalid("\"labels\" must be an array of strings") }
                return name
            }
        }
        return try ConfusionMatrix(split: split, step: step, labels: names, counts: counts)
    }
}

/// Any JSON value (booleans kept apart from numbers).
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
