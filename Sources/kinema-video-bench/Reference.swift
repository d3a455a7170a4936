import Foundation
import KinemaMotion

/// Tools/bench/opencv_flow.py, the Python side of the bench, as a child process driven one
/// command at a time over stdin/stdout (so its timed runs can alternate with Kinema's).
final class Reference {
    /// cv2.__version__.
    let opencv: String
    /// cv2.getNumThreads() after cv2.setNumThreads.
    let threads: Int
    /// The Python version, and the rows this Python can run (no HOG rows without scikit-image).
    let python: String
    let rows: Set<String>
    /// Where the script writes its outputs for ``Agreement``.
    let out: URL
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private var buffer = Data()

    init(python: String, out: URL, arguments: [String]) throws {
        self.out = out
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let hello = try Self.reply(&buffer, output)
        opencv = hello["opencv"] as? String ?? "?"
        threads = hello["threads"] as? Int ?? -1
        self.python = "\(hello["python"] as? String ?? "?") (\(python))"
        rows = Set(hello["rows"] as? [String] ?? [])
    }

    /// The column name: the side's OpenCV version ("cv-4.10.0").
    var label: String { "cv-\(opencv)" }

    /// One untimed run of a row (first-call allocations, caches).
    func warmUp(_ row: String) throws { _ = try send("warmup \(row)") }

    /// One timed run of a row, in seconds, timed inside Python (no pipe overhead).
    func run(_ row: String) throws -> Double {
        guard let seconds = try send("run \(row)")["seconds"] as? Double else { throw failure("no time for \(row)") }
        return seconds
    }

    /// Makes the script write its outputs for ``Agreement`` into its --out folder.
    func writeOutputs() throws { _ = try send("outputs") }

    func finish() {
        try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private func send(_ command: String) throws -> [String: Any] {
        try input.fileHandleForWriting.write(contentsOf: Data((command + "\n").utf8))
        return try Self.reply(&buffer, output)
    }

    /// The next JSON line the script prints.
    private static func reply(_ buffer: inout Data, _ pipe: Pipe) throws -> [String: Any] {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                guard let json = try JSONSerialization.jsonObject(with: line) as? [String: Any] else { throw failure("not a JSON object") }
                return json
            }
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw failure("the script exited") }
            buffer.append(chunk)
        }
    }

    private static func failure(_ why: String) -> BenchFailure {
        BenchFailure("Tools/bench/opencv_flow.py: \(why) (its error, if any, is above)")
    }

    private func failure(_ why: String) -> BenchFailure { Self.failure(why) }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
