import Foundation
import KinemaMediaTestSupport
import Testing

/// A 2-step masked-autoencoder run of the tiny ViT on 4 × 32² clips of the tiny generated videos
/// (written into `folder`), validated at the end on 2 held-out videos.
private func tinyPretrainArguments(folder: TemporaryFolder, output: URL) throws -> [String] {
    let data = folder.file("data")
    try TinyMotionVideos.write(to: data)
    return [
        "--output", output.path,
        "--set", "data.source=\(data.appendingPathComponent("videos").path)", "--set", "data.format=ucf101",
        "--set", "data.splits=\(data.appendingPathComponent("splits").path)",
        "--set", "model.name=vit_s_16_tiny", "--set", "data.frames=4",
        "--set", "data.stride=2", "--set", "data.decodeShortSide=36", "--set", "data.cropSize=32",
        "--set", "data.batchSize=2", "--set", "data.validationVideos=2", "--set", "data.validationClips=1",
        "--set", "steps=2", "--set", "epochs=0", "--set", "optim.warmupEpochs=0", "--set", "validateEvery=2",
        "--set", "run.tensorBoard=false", "--set", "run.threads=2",
    ]
}

/// `kinema videomae pretrain` through the real executable: a 2-step run on the tiny generated
/// videos writes the report with both reconstruction GIFs; a config error names its key and
/// starts nothing.
@Suite(.serialized) struct VideoMAECommandTests {
    @Test func aTinyRunWritesTheReportAndTheReconstructions() throws {
        let folder = TemporaryFolder()
        let output = folder.file("run")
        let result = try CLIRunner.run(
            ["videomae", "pretrain"] + (try tinyPretrainArguments(folder: folder, output: output)) + ["--set", "model.maskRatio=0.5"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("held-out loss"), "\(result.output)")
        for file in ["report.html", "reconstruction-step0.gif", "reconstruction.gif", "checkpoints/last.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(file)")
        }
        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("reconstruction-step0.gif") && html.contains("reconstruction.gif"))
    }

    @Test func aMaskRatioOutsideZeroToOneIsRefusedByKey() throws {
        let folder = TemporaryFolder()
        let output = folder.file("run")
        let result = try CLIRunner.run([
            "videomae", "pretrain", "--output", output.path, "--set", "data.source=/nowhere", "--set", "model.maskRatio=1.2",
        ])
        #expect(result.status != 0)
        #expect(result.output.contains("model.maskRatio"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}

/// `kinema mme pretrain` through the real executable: MME's defaults (the motion target, mask 0.7,
/// MME's decoder keys) over VideoMAE's trainer, on the tiny generated videos.
@Suite(.serialized) struct MMECommandTests {
    @Test func aTinyRunUsesMMEsTargetAndWritesTheReport() throws {
        let folder = TemporaryFolder()
        let output = folder.file("run")
        let result = try CLIRunner.run(
            ["mme", "pretrain"] + (try tinyPretrainArguments(folder: folder, output: output)) + [
                "--set", "model.decoderWidth=96", "--set", "model.decoderHeads=3", "--set", "target.motion.flow=dis-ultrafast",
            ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("(mme target)") && result.output.contains("held-out loss"), "\(result.output)")
        let config = try String(contentsOf: output.appendingPathComponent("config.yaml"), encoding: .utf8)
        #expect(config.contains("kind: mme") && config.contains("maskRatio: 0.7"), "\(config)")
        let html = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("MME pretraining"))
        for file in ["trajectories-step0.gif", "trajectories.gif"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(file)")
            #expect(html.contains(file), "\(file) in report.html")
        }
    }
}
