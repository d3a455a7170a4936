import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

/// `kinema make-dataset` end to end on a tiny asset folder made here (cut-outs with alpha, textured
/// backgrounds), so it needs no download.
@Suite(.serialized) struct MakeDatasetCommandTests {
    /// An asset folder in the layout Tools/data/fetch-benchmark.sh writes.
    private func assets(in folder: TemporaryFolder) throws -> URL {
        let root = folder.file("assets")
        for sub in ["cutouts", "backgrounds"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for n in 0..<4 {
            // A square with a transparent border, and a texture.
            var cutout = Image(width: 20, height: 20, format: .rgba, filledWith: [0, 0, 0, 0])
            for y in 4..<16 { for x in 4..<16 { cutout.pixels.replaceSubrange(((y * 20 + x) * 4)..<((y * 20 + x) * 4 + 4), with: [UInt8(60 * n), 180, 90, 255]) } }
            try cutout.write(to: root.appendingPathComponent("cutouts/square\(n).png"))
            let texture = Image(width: 90, height: 70, format: .rgb, pixels: (0..<(90 * 70 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ n) })
            try texture.write(to: root.appendingPathComponent("backgrounds/texture\(n).png"))
        }
        return root
    }

    @Test func writesATinyBenchmarkInTheUCF101Layout() throws {
        let folder = TemporaryFolder()
        let output = folder.file("bench")
        let result = try CLIRunner.run([
            "make-dataset", output.path, "--assets", try assets(in: folder).path, "--clips-per-class", "2", "--frames", "3",
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
        let result = try CLIRunner.run([
            "make-dataset", output.path, "--assets", try assets(in: folder).path, "--clips-per-class", "2", "--frames", "3",
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
