import Foundation

/// Appends one JSON object per line to `metrics.jsonl` (the format `jq` and pandas' `read_json(lines=True)`
/// read), flushing every line so a crash loses nothing already logged.
public final class MetricsLog {
    private let handle: FileHandle
    public let url: URL

    /// Opens (creating or, with `append`, continuing) the log at `url`.
    public init(_ url: URL, append: Bool = false) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !append || !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    /// A log that keeps nothing (/dev/null): what data-parallel ranks other than 0 write to.
    public static func discarding() throws -> MetricsLog { try MetricsLog(URL(fileURLWithPath: "/dev/null"), append: true) }

    /// Writes one record, e.g. `["step": 10, "loss": 0.69, "split": "train"]`. JSON has no inf or
    /// NaN: such a value (an fp16 step whose loss overflowed, a diverged run) is written as `null`
    /// (TensorBoard keeps the value itself).
    public func write(_ record: [String: any Sendable]) throws {
        let finite = record.mapValues { value -> any Sendable in
            if let number = value as? Double, !number.isFinite { return NSNull() }
            return value
        }
        var line = try JSONSerialization.data(withJSONObject: finite, options: [.sortedKeys])
        line.append(0x0A)
        try handle.write(contentsOf: line)
    }
}
