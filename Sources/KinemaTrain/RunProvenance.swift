import Foundation
import KinemaTensor
import KinemaVideo
import KinemaFiles

/// What produced a run, written next to its outputs (`provenance.json`): engine versions, device,
/// threads, the source revision and the command line.
public struct RunProvenance: Codable, Sendable {
    public var kinemaRevision: String
    public var libtorch: String
    public var openCV: String
    public var device: String
    public var threads: Int
    public var command: [String]
    public var date: String

    public static func current(device: Device) -> RunProvenance {
        RunProvenance(
            kinemaRevision: ProcessInfo.processInfo.environment["KINEMA_REVISION"] ?? gitRevision() ?? "unknown",
            libtorch: Engine.runtimeTorchVersion, openCV: OpenCV.version, device: device.description,
            threads: Engine.threadCount, command: CommandLine.arguments,
            date: ISO8601DateFormatter().string(from: Date()))
    }

    /// Writes `value` as pretty, key-sorted JSON to `url` (atomically). JSON has no inf or NaN: a
    /// diverged run's numbers are written as the strings "inf", "-inf" and "nan" (Python's
    /// `float()` reads them back) rather than failing the run at its end.
    public static func writeJSON(_ value: some Encodable, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(try encoder.encode(value), to: url)
    }

    private static func gitRevision() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "--short", "HEAD"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
