import Foundation
import KinemaMediaTestSupport

/// Runs the built `kinema` executable (it sits beside the test bundle in the build folder) the way
/// a user does, capturing its exit status and output.
struct CLIRunner {
    struct Result {
        let status: Int32
        let output: String
    }

    static let executable: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        // On Linux the test binary is <build>/debug/KinemaPackageTests.xctest; elsewhere a bundle.
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("kinema").path),
            folder.pathComponents.count > 1
        {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("kinema")
    }()

    /// `kinema arguments…` (or another `executable`'s) in the checkout's root, stdout and stderr
    /// together; `environment` sets (or, with nil, removes) variables of the test's own environment.
    static func run(_ arguments: [String], environment: [String: String?] = [:], executable: URL = executable) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        process.currentDirectoryURL = TestData.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
