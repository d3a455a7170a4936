import Foundation
import KinemaMediaTestSupport
import KinemaTestSupport
import KinemaVideo
import Testing

/// `kinema gradcam` through the real executable on a classifier from outside Kinema.
@Suite struct GradCAMCommandTests {
    @Test func aTransformersClassifierIsExplainedOnItsOwnClip() throws {
        let output = TemporaryFolder()
        let run = try CLIRunner.run([
            "gradcam", PredictionFixture.folder.path, PredictionFixture.clip.path, "--output", output.url.path, "--format", "gif",
        ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("transformers VideoMAE folder: 8 classes, clips of 16x64x64"), "\(run.output)")
        let frames = try VideoReader(output.file("gradcam.gif")).remainingFrames()
        #expect(frames.count == 16 && frames[0].width == 2 * 64 + 2 && frames[0].height == 64, "[frame | overlay] at the model's 64²")
        #expect(FileManager.default.fileExists(atPath: output.file("gradcam-grid.png").path))
    }
}
