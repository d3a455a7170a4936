import Foundation

/// Runs Tools/bench/reference.py (eager PyTorch) for one case and returns its JSON result, so that
/// Kinema and PyTorch are measured in the same run, one after the other.
struct Reference {
    let python: String
    let script: String

    func run(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            throw BenchError("the PyTorch reference failed: \(python) \(script) \(arguments.joined(separator: " "))")
        }
        return json
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
