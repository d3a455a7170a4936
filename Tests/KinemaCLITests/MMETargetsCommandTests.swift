import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

/// `kinema mme targets` through the real executable, on vtest.avi (people walking past a fixed
/// camera): a short clip writes the GIF and the contact sheet and says how many tracks move; bad
/// options are refused before anything is computed.
@Suite(.serialized) struct MMETargetsCommandTests {
    @Test func aClipOfVtestWritesTheGIFAndTheContactSheet() throws {
        let video = try TestData.url("videos/vtest.avi")
        let folder = TemporaryFolder()
        let result = try CLIRunner.run([
            "mme", "targets", video.path, "--output", folder.url.path, "--start", "100", "--frames", "4", "--size", "112",
            "--mask-ratio", "0.7", "--seed", "3", "--hog-tubelet", "1", "--set", "target.motion.flow=dis-medium",
        ])
        #expect(result.status == 0, "\(result.output)")
        // 2 tubelets × 14² points; L = 6: 7 frames each.
        #expect(result.output.contains("2 tubelets × 196 points (L = 6, dis-medium flow)"), "\(result.output)")
        #expect(result.output.contains("14 frames"), "\(result.output)")
        let sheet = try Image(contentsOf: folder.file("targets.png"))
        // Clips of 112 px are drawn at 224: two tubelets, then the HOG panel below.
        #expect(sheet.width == 2 * 224 + 4 && sheet.height == 2 * 224 + 4, "\(sheet.width)x\(sheet.height)")
        #expect(FileManager.default.fileExists(atPath: folder.file("targets.gif").path))
    }

    @Test(arguments: [
        (["--hog-tubelet", "9", "--frames", "4"], "--hog-tubelet"), (["--mask-ratio", "1.5"], "--mask-ratio"),
        (["--set", "target.motion.length=0"], "target.motion"),
    ])
    func badOptionsAreRefused(arguments: [String], named: String) throws {
        let video = try TestData.url("videos/vtest.avi")
        let result = try CLIRunner.run(["mme", "targets", video.path, "--output", TemporaryFolder().url.path] + arguments)
        #expect(result.status != 0)
        #expect(result.output.contains(named), "\(result.output)")
    }

    @Test func helpTeachesWithExamples() throws {
        let result = try CLIRunner.run(["mme", "targets", "--help"])
        #expect(result.status == 0)
        for phrase in ["Examples:", "--mask-ratio", "--hog-tubelet", "--min-displacement", "target.motion"] {
            #expect(result.output.contains(phrase), "\(phrase)")
        }
    }
}
