import Foundation
import KinemaMediaTestSupport
import Testing

/// The main job end to end through the real executable, at toy size: pretrain MoSI on the test
/// photos, draw the samples, Grad-CAM over a real video, write the report.
@Suite(.serialized) struct DemoCommandTests {
    @Test func theDemoWritesARunAReportAndPictures() throws {
        let photos = try TestData.url("photos")
        let video = try TestData.url("videos/g1.avi")
        let folder = TemporaryFolder()
        let output = folder.file("demo")
        let result = try CLIRunner.run([
            "demo", photos.path, video.path, "--output", output.path, "--threads", "2",
            "--set", "steps=4", "--set", "validateEvery=2", "--set", "data.validationImages=1",
            "--set", "generator.frames=4", "--set", "generator.cropSize=32", "--set", "generator.standardSize=64",
            "--set", "run.tensorBoard=false",
        ])
        #expect(result.status == 0, "\(result.output)")
        for file in ["report.html", "samples.gif", "gradcam.gif", "gradcam-grid.png", "checkpoints/last.safetensors",
            "metrics.jsonl", "summary.json", "config.yaml"]
        {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "no \(file)")
        }
        let report = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("samples.gif") && report.contains("gradcam.gif"))
        #expect(report.localizedCaseInsensitiveContains("confusion"))
        #expect(result.output.contains("report.html"))

        // A second demo into the same folder keeps the first one as <output>.previous.
        let again = try CLIRunner.run([
            "demo", photos.path, video.path, "--output", output.path, "--set", "steps=1", "--set", "data.validationImages=1",
            "--set", "generator.frames=4", "--set", "generator.cropSize=32", "--set", "generator.standardSize=64",
        ])
        #expect(again.status == 0, "\(again.output)")
        #expect(FileManager.default.fileExists(atPath: output.path + ".previous/report.html"))

        // Grad-CAM from the run folder, on its own.
        let gradcam = try CLIRunner.run([
            "gradcam", output.path, video.path, "--output", folder.file("cam").path, "--format", "gif", "--max-frames", "8",
            "--stage", "2",
        ])
        #expect(gradcam.status == 0, "\(gradcam.output)")
        #expect(FileManager.default.fileExists(atPath: folder.file("cam/gradcam-grid.png").path))
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
