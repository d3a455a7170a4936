import Foundation
import KinemaMediaTestSupport
import Testing

/// The main job end to end through the real executable, at toy size: MoSI on the test photos
/// (samples, Grad-CAM over a real video), MME and CGM-Net on the video, one report — rendered in a
/// real headless browser, which must load it without errors, every image and every animation.
@Suite(.serialized) struct DemoCommandTests {
    /// Every method at a few steps, small clips.
    static let toySize = [
        "--set", "mosi.steps=4", "--set", "mosi.validateEvery=2", "--set", "mosi.data.validationImages=1",
        "--set", "mosi.generator.frames=4", "--set", "mosi.generator.cropSize=32", "--set", "mosi.generator.standardSize=64",
        "--set", "mosi.run.tensorBoard=false",
        "--set", "mme.steps=2", "--set", "mme.validateEvery=1", "--set", "mme.data.validationClips=1",
        "--set", "mme.data.cropSize=64", "--set", "mme.data.decodeShortSide=72",
        "--set", "cgm.steps=2", "--set", "cgm.validateEvery=1", "--set", "cgm.data.validationClips=1",
    ]

    @Test func theDemoRunsEveryMethodAndItsReportLoadsInABrowser() throws {
        let photos = try TestData.url("photos")
        let video = try TestData.url("videos/vtest.avi")
        let folder = TemporaryFolder()
        let output = folder.file("demo")
        let result = try CLIRunner.run(["demo", photos.path, video.path, "--output", output.path, "--threads", "2"] + Self.toySize)
        #expect(result.status == 0, "\(result.output)")
        for file in ["report.html", "videos/vtest.mp4",
            "mosi/report.html", "mosi/samples.gif", "mosi/gradcam.gif", "mosi/gradcam-grid.png", "mosi/checkpoints/last.safetensors",
            "mme/report.html", "mme/targets.gif", "mme/trajectories.gif", "mme/checkpoints/last.safetensors",
            "cgm/report.html", "cgm/motion-maps.gif", "cgm/motion-quality.md", "cgm/checkpoints/last.safetensors"]
        {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "no \(file)")
        }
        let report = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        for part in ["MoSI", "MME", "CGM-Net", "The comparison", "tvl1", "mosi/gradcam.gif", "mme/targets.gif", "cgm/motion-maps.gif"] {
            #expect(report.contains(part), "the report lacks \(part)")
        }
        // docs/results.md's table, read back from the checkout.
        #expect(report.contains("Top-1 on the motion benchmark"))
        #expect(result.output.contains("report.html"))

        // In a real browser: every picture loads, every GIF is whole and animated.
        let check = try Self.browserCheck(output.appendingPathComponent("report.html"))
        #expect(check.status == 0, "\(check.output)")
        let images = check.output.split(separator: "\n").filter { $0.hasPrefix("image ") }
        #expect(images.count == report.components(separatedBy: "<img ").count - 1, "\(check.output)")
        for line in images where line.contains(".gif ") {
            let frames = Int(line.split(separator: " ").last ?? "") ?? 0
            #expect(frames > 1, "not an animation: \(line)")
        }

        // The check can fail: a truncated animation and a missing picture are both named.
        let damaged = output.appendingPathComponent("mme/targets.gif")
        let whole = try Data(contentsOf: damaged)
        try whole.prefix(whole.count / 2).write(to: damaged)
        try FileManager.default.removeItem(at: output.appendingPathComponent("cgm/motion-maps.gif"))
        let failed = try Self.browserCheck(output.appendingPathComponent("report.html"))
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.contains("PROBLEM image mme/targets.gif: truncated"), "\(failed.output)")
        #expect(failed.output.contains("PROBLEM image cgm/motion-maps.gif did not load"), "\(failed.output)")

        // A second demo into the same folder keeps the first one as <output>.previous; --methods runs a subset.
        let again = try CLIRunner.run(["demo", photos.path, video.path, "--output", output.path, "--methods", "mosi"] + Self.toySize)
        #expect(again.status == 0, "\(again.output)")
        #expect(FileManager.default.fileExists(atPath: output.path + ".previous/report.html"))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("mme").path))

        // Grad-CAM from MoSI's run folder, on its own.
        let gradcam = try CLIRunner.run([
            "gradcam", output.appendingPathComponent("mosi").path, video.path, "--output", folder.file("cam").path,
            "--format", "gif", "--max-frames", "8", "--stage", "2",
        ])
        #expect(gradcam.status == 0, "\(gradcam.output)")
        #expect(FileManager.default.fileExists(atPath: folder.file("cam/gradcam-grid.png").path))
    }

    /// Tools/browser/check-report.sh on `report` (`make test` installs the browser it needs).
    static func browserCheck(_ report: URL) throws -> CLIRunner.Result {
        try CLIRunner.run(["Tools/browser/check-report.sh", report.path], executable: URL(fileURLWithPath: "/bin/bash"))
    }

    @Test func setKeysNameTheirMethod() throws {
        let photos = try TestData.url("photos")
        let video = try TestData.url("videos/g1.avi")
        let unprefixed = try CLIRunner.run(["demo", photos.path, video.path, "--set", "steps=4"])
        #expect(unprefixed.status == 64 && unprefixed.output.contains("method.key=value"), "\(unprefixed.output)")
        let unknown = try CLIRunner.run(["demo", photos.path, video.path, "--methods", "mosi,vmae"])
        #expect(unknown.status == 64 && unknown.output.contains("unknown method 'vmae'"), "\(unknown.output)")
        let badKey = try CLIRunner.run([
            "demo", photos.path, video.path, "--methods", "cgm", "--set", "cgm.model.kernel=-3",
            "--output", TemporaryFolder().file("demo").path,
        ])
        #expect(badKey.status == 64 && badKey.output.contains("kernel"), "\(badKey.output)")
    }

    @Test func badInputEndsWithAMessageNotACrash() throws {
        let folder = TemporaryFolder()
        let missing = try CLIRunner.run(["demo", "/no/such/photos", "/no/such/video.avi"])
        #expect(missing.status == 64 && missing.output.contains("no photos at /no/such/photos"), "\(missing.output)")

        let badConfig = try CLIRunner.run([
            "mosi", "pretrain", "--output", folder.file("run").path, "--set", "model.name=resnet9000",
            "--set", "data.source=/tmp", "--set", "steps=-1",
        ])
        #expect(badConfig.status == 64, "\(badConfig.output)")
        #expect(badConfig.output.contains("resnet9000") && badConfig.output.contains("steps"), "\(badConfig.output)")

        try Data("not a checkpoint".utf8).write(to: folder.file("bad.safetensors"))
        let badCheckpoint = try CLIRunner.run(["gradcam", folder.file("bad.safetensors").path, "/no/video.avi"])
        #expect(badCheckpoint.status != 0 && badCheckpoint.status < 128, "\(badCheckpoint.output)")
        #expect(badCheckpoint.output.contains("bad.safetensors"), "\(badCheckpoint.output)")
    }
}
