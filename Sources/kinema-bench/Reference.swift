import Foundation

/// Runs a Python script once (Tools/bench/mosi_reference.py) and returns the JSON object it prints
/// last.
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
            let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            throw BenchError("the Python reference failed: \(python) \(script) \(arguments.joined(separator: " "))")
        }
        return json
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Dictionary where Key == String, Value == Any {
    /// The number under `key`, or an error naming what sent it.
    func number(_ key: String, from source: String) throws -> Double {
        guard let value = self[key] as? NSNumber else { throw BenchError("\(source): no number '\(key)' in its reply \(self)") }
        return value.doubleValue
    }
}
