import Foundation

/// Tools/bench/reference.py as a long-lived child process driven one command at a time over
/// stdin/stdout (one JSON reply per line), so that its timed runs can alternate with Kinema's.
final class ReferenceServer {
    /// How the process was started, for the output ("PyTorch default", "PyTorch best").
    let name: String
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private var buffer = Data()

    /// `environment` entries replace the inherited ones; a nil value removes one (LD_PRELOAD).
    init(name: String, python: String, arguments: [String], environment: [String: String?] = [:]) throws {
        self.name = name
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["Tools/bench/reference.py"] + arguments
        process.environment = merged
        process.standardInput = input
        process.standardOutput = output
        do { try process.run() } catch { throw BenchError("\(name): cannot start \(python): \(error)") }
    }

    /// Sends one command and returns its reply.
    func send(_ command: String) throws -> [String: Any] {
        do { try input.fileHandleForWriting.write(contentsOf: Data((command + "\n").utf8)) } catch {
            throw BenchError("\(name): the reference process is gone (\(command))")
        }
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                guard let json = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
                    throw BenchError("\(name): not a JSON reply to '\(command)': \(String(decoding: line, as: UTF8.self))")
                }
                return json
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchError("\(name): Tools/bench/reference.py exited during '\(command)' (its error is above)") }
            buffer.append(chunk)
        }
    }

    /// Seconds of one timed command, timed inside Python (no pipe overhead).
    func seconds(_ command: String) throws -> Double {
        try send(command).number("seconds", from: name)
    }

    deinit {
        try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
