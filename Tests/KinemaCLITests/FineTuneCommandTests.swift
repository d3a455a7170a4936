import Foundation
import KinemaMediaTestSupport
import Testing

/// The downstream commands end to end through the real executable, at toy size: fine-tune on a
/// tiny generated UCF101-layout set, test the run again with other views, extract its features.
@Suite(.serialized) struct FineTuneCommandTests {
    @Test func fineTuneEvaluateAndFeaturesWorkEndToEnd() throws {
        let folder = TemporaryFolder()
        let config = try tinyFineTuneConfig(in: folder)
        let run = folder.file("run")
        let tune = try CLIRunner.run(["finetune", "--config", config.path, "--output", run.path])
        #expect(tune.status == 0, "\(tune.output)")
        #expect(tune.output.contains("18 training and 9 test videos, 3 classes") && tune.output.contains("test: top-1"), "\(tune.output)")
        for file in ["evaluation.json", "summary.json", "metrics.jsonl", "checkpoints/last.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "no \(file)")
        }

        // The run's own settings, with other views.
        let evaluation = folder.file("eval")
        let test = try CLIRunner.run(["evaluate", run.path, "--set", "data.testClips=3", "--output", evaluation.path])
        #expect(test.status == 0, "\(test.output)")
        #expect(test.output.contains("9 videos × 3 views"), "\(test.output)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: evaluation.appendingPathComponent("evaluation.json"))) as? [String: Any]
        #expect((json?["confusion"] as? [[Int]])?.count == 3 && json?["top1"] is Double)

        let features = try CLIRunner.run(["features", run.path, "--output", folder.file("features").path])
        #expect(features.status == 0, "\(features.output)")
        let svg = try String(contentsOf: folder.file("features/embedding.svg"), encoding: .utf8)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 9 + 3, "a dot per test video and per legend entry")
        #expect(FileManager.default.fileExists(atPath: folder.file("features/features.safetensors").path))
    }

    @Test func badInputEndsWithAMessageNotACrash() throws {
        let folder = TemporaryFolder()
        let noData = try CLIRunner.run(["finetune", "--output", folder.file("run").path, "--set", "model.name=resnet9000"])
        #expect(noData.status == 64, "\(noData.output)")
        #expect(noData.output.contains("resnet9000") && noData.output.contains("data.videos"), "\(noData.output)")

        let missingRun = try CLIRunner.run(["evaluate", folder.file("nothing").path])
        #expect(missingRun.status != 0 && missingRun.status < 128, "\(missingRun.output)")
        #expect(missingRun.output.contains("no checkpoint, run folder or transformers folder"), "\(missingRun.output)")
    }
}
