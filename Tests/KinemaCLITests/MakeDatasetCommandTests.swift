import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

/// `kinema make-dataset` end to end on a tiny asset folder made here (cut-outs with alpha, textured
/// backgrounds), so it needs no download.
@Suite(.serialized) struct MakeDatasetCommandTests {
    @Test func writesATinyBenchmarkInTheUCF101Layout() throws {
        let folder = TemporaryFolder()
        let output = folder.file("bench")
        let assets = try folder.benchmarkAssets(backgroundWidth: 90, backgroundHeight: 70)
        let result = try CLIRunner.run([
            "make-dataset", output.path, "--assets", assets.path, "--clips-per-class", "2", "--frames", "3",
            "--size", "32", "--seed", "7",
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("18 classes, 18 train + 18 test clips"), "\(result.output)")
        let train = try String(contentsOf: output.appendingPathComponent("splits/trainlist01.txt"), encoding: .utf8)
        #expect(train.hasPrefix("MoveLeft/v_MoveLeft_g13_c01.avi 1\r\n"))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("videos/Flap/v_Flap_g01_c01.avi").path))
        let manifest = try String(contentsOf: output.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"version\":2"))
        let readme = try String(contentsOf: output.appendingPathComponent("README.txt"), encoding: .utf8)
        #expect(readme.contains("version 2") && readme.contains("--benchmark-version 2"))
    }

    @Test func versionOneIsStillAvailable() throws {
        let folder = TemporaryFolder()
        let output = folder.file("bench")
        let assets = try folder.benchmarkAssets(backgroundWidth: 90, backgroundHeight: 70)
        let result = try CLIRunner.run([
            "make-dataset", output.path, "--assets", assets.path, "--clips-per-class", "2", "--frames", "3",
            "--size", "32", "--seed", "7", "--benchmark-version", "1",
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("12 classes, 12 train + 12 test clips"), "\(result.output)")
        #expect(try String(contentsOf: output.appendingPathComponent("README.txt"), encoding: .utf8).contains("version 1"))
        let bad = try CLIRunner.run(["make-dataset", folder.file("other").path, "--benchmark-version", "3"])
        #expect(bad.status != 0 && bad.output.contains("benchmark version must be within 1…2"), "\(bad.output)")
    }

    @Test func missingAssetsNameTheFetchScript() throws {
        let folder = TemporaryFolder()
        let result = try CLIRunner.run(["make-dataset", folder.file("bench").path, "--assets", folder.file("nothing").path])
        #expect(result.status != 0)
        #expect(result.output.contains("Tools/data/fetch-benchmark.sh"), "\(result.output)")
    }

    @Test func helpListsTheClasses() throws {
        let result = try CLIRunner.run(["make-dataset", "--help"])
        #expect(result.status == 0)
        for name in [
            "MoveLeft", "RotateClockwise", "BounceOffWalls", "CameraPan", "Orbit", "StopAndGo", "OppositeDirections", "CameraZoom",
            "MoveDuringPan", "Flap", "--benchmark-version", "classInd.txt", "fetch-benchmark.sh",
        ] {
            #expect(result.output.contains(name), "\(name)")
        }
    }
}
