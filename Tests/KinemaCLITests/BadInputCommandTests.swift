import Foundation
import KinemaMediaTestSupport
import Testing

/// The bad-input matrix end to end, one process per command class (docs/robustness.md, "Exit
/// status"): what the readers' errors become at the command line — the documented exit status,
/// the file named, and a warning (status 0) where the input is damaged but usable.
@Suite struct BadInputCommandTests {
    private static let media = TestData.repository.appendingPathComponent("Tests/Fixtures/bad-inputs")

    @Test func aDamagedVideoWarnsAndAnUndecodableOneFails() throws {
        let folder = TemporaryFolder()
        let vfr = try CLIRunner.run(["flow", Self.media.appendingPathComponent("vfr.mkv").path, "--output", folder.file("vfr").path])
        #expect(vfr.status == 0, "\(vfr.output)")
        #expect(vfr.output.contains("warning:") && vfr.output.contains("ended after 12 of the 31 frames"), "\(vfr.output)")
        #expect(vfr.output.contains("stopped at 11/30"), "the progress bar must not claim the declared count: \(vfr.output)")

        let unknown = try CLIRunner.run(
            ["flow", Self.media.appendingPathComponent("unknown-codec.avi").path, "--output", folder.file("unknown").path])
        #expect(unknown.status == 1, "\(unknown.output)")
        #expect(unknown.output.contains("unknown-codec.avi: cannot be decoded"), "\(unknown.output)")
        #expect(!unknown.output.contains("[ERROR"), "OpenCV's own log lines leak: \(unknown.output)")
    }

    @Test func aBrokenConfigIsAUsageError() throws {
        let folder = TemporaryFolder()
        let config = folder.file("broken.yaml")
        try Data("steps: many\noptim: {lerningRate: 0.1}\n".utf8).write(to: config)
        let result = try CLIRunner.run(["finetune", "--config", config.path, "--output", folder.file("run").path])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("invalid configuration from \(config.path)"), "\(result.output)")
        #expect(result.output.contains("optim.lerningRate: unknown key"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("run").path), "a run folder was started")
    }

    @Test func aCorruptCheckpointIsNamed() throws {
        let folder = TemporaryFolder()
        let checkpoint = folder.file("corrupt.safetensors")
        try Data((0..<100).map { UInt8($0 * 37 % 251) }).write(to: checkpoint)
        let video = try TestData.url("videos/g1.avi")
        let result = try CLIRunner.run(["predict", checkpoint.path, video.path])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("corrupt.safetensors"), "\(result.output)")
    }
}
