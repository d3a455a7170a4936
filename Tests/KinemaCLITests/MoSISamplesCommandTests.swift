import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

/// `kinema mosi samples` end to end on a fetched photo with the tiny CPU config.
@Suite(.serialized) struct MoSISamplesCommandTests {
    @Test func writesTheSampleGridOfAPhoto() throws {
        let folder = TemporaryFolder()
        let output = folder.file("samples.gif")
        let result = try CLIRunner.run([
            "mosi", "samples", try TestData.url("photos/coffee.png").path, "--config", "configs/mosi/tiny_cpu.yaml",
            "--set", "generator.frames=3", "--output", output.path, "--seed", "3",
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("9 classes × masked/unmasked, 3 frames"), "\(result.output)")
        // tiny_cpu.yaml's 64 px crops are shown at 128 px: a header tile and 9 cells, 2 px apart.
        let frames = try VideoReader(output).remainingFrames()
        #expect(frames.count == 3)
        #expect(frames.first.map { ($0.width, $0.height) } ?? (0, 0) == (10 * 128 + 9 * 2, 2 * 128 + 2))
    }

    @Test func missingOrCorruptImagesFailCleanly() throws {
        let folder = TemporaryFolder()
        let corrupt = folder.file("corrupt.png")
        try Data("not a picture".utf8).write(to: corrupt)
        for (image, message) in [(folder.file("missing.png").path, "no such file"), (corrupt.path, "cannot be decoded")] {
            let result = try CLIRunner.run(["mosi", "samples", image, "--output", folder.file("x.gif").path])
            #expect(result.status != 0 && result.output.contains(message), "\(result.output)")
            #expect(!FileManager.default.fileExists(atPath: folder.file("x.gif").path))
        }
        let bad = try CLIRunner.run(["mosi", "samples", corrupt.path, "--set", "generator.frames=0"])
        #expect(bad.status != 0 && bad.output.contains("frame"), "\(bad.output)")
    }
}
