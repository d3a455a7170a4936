import Foundation
import KinemaMediaTestSupport
import Testing

/// `kinema cgm evaluate` through the real executable on carphone.mp4 with the fastest flow method:
/// the table, the Markdown and JSON files; bad input ends with a message, never a signal.
@Suite(.serialized) struct CGMEvaluateCommandTests {
    @Test func carphoneGivesTheTableAndBothFiles() throws {
        let video = try TestData.url("videos/carphone.mp4")
        let folder = TemporaryFolder()
        let (json, table) = (folder.file("report.json"), folder.file("table.md"))
        let result = try CLIRunner.run([
            "cgm", "evaluate", video.path, "--frames", "8", "--flow", "dis-ultrafast", "--clips-per-video", "2",
            "--json", json.path, "--output", table.path,
        ])
        #expect(result.status == 0, "\(result.output)")
        for phrase in ["1 videos; clips of 9 frames at 112×112 (short side 128); methods: copy, dis-ultrafast", "| copy |",
                       "| dis-ultrafast |", "2 clips of 9 consecutive frames", "wrote \(json.path)"] {
            #expect(result.output.contains(phrase), "\(phrase)\n\(result.output)")
        }
        #expect(try String(contentsOf: table, encoding: .utf8).hasPrefix("| method | ℓ1 error"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect((report["rows"] as? [[String: Any]])?.compactMap { $0["method"] as? String } == ["copy", "dis-ultrafast"])
        #expect((report["clips"] as? [Any])?.count == 2)
    }

    @Test(arguments: [
        (["/no/such/video.mp4"], "no video or folder at /no/such/video.mp4"),
        (["--flow", "raft"], "unknown --flow method 'raft'"),
        (["--frames", "1"], "at least 2 seen frames"),
        (["--size", "224", "--short-side", "128"], "must be at least the crop"),
        (["--run", "/no/such/run"], "no CGM-Net run or checkpoint at /no/such/run"),
    ])
    func badInputEndsWithAMessage(arguments: [String], message: String) throws {
        let video = try TestData.url("videos/carphone.mp4")
        let result = try CLIRunner.run(["cgm", "evaluate", video.path] + arguments)
        #expect(result.status != 0 && result.status < 128, "\(result.output)")
        #expect(result.output.contains(message), "\(result.output)")
    }

    @Test func aVideoShorterThanAClipIsAClearError() throws {
        let folder = TemporaryFolder()
        let frames = folder.file("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        let still = try TestData.photo("astronaut", width: 128, height: 128)
        for i in 0..<4 { try still.write(to: frames.appendingPathComponent("\(i).png")) }
        let result = try CLIRunner.run(["cgm", "evaluate", frames.path, "--frames", "16"])
        #expect(result.status != 0 && result.status < 128, "\(result.output)")
        #expect(result.output.contains("no clip of 17 consecutive frames") && result.output.contains("decodes 4 frames"), "\(result.output)")
    }

    @Test func helpTeachesWithExamples() throws {
        let result = try CLIRunner.run(["cgm", "evaluate", "--help"])
        #expect(result.status == 0)
        for phrase in ["Examples:", "--flow", "--clips-per-video", "backward warping", "constant velocity", "--run"] {
            #expect(result.output.contains(phrase), "\(phrase)\n\(result.output)")
        }
    }
}

/// `kinema cgm pretrain` through the real executable: its help, and a config it refuses.
@Suite struct CGMPretrainCommandTests {
    @Test func helpTeachesWithExamples() throws {
        let result = try CLIRunner.run(["cgm", "pretrain", "--help"])
        #expect(result.status == 0)
        for phrase in ["Examples:", "configs/cgm/tiny_cpu.yaml", "--resume", "kinema finetune --pretrained", "Eq. 1"] {
            #expect(result.output.contains(phrase), "\(phrase)\n\(result.output)")
        }
    }

    @Test func aConfigItCannotTrainEndsWithItsProblemsByKey() throws {
        let result = try CLIRunner.run([
            "cgm", "pretrain", "--set", "data.source=/no/such/videos", "--set", "data.normalization=imagenet",
            "--set", "model.hrKernel=4", "--output", FileManager.default.temporaryDirectory.appendingPathComponent("cgm-refused").path,
        ])
        #expect(result.status != 0 && result.status < 128, "\(result.output)")
        for key in ["data.normalization", "hrKernel 4"] { #expect(result.output.contains(key), "\(key)\n\(result.output)") }
    }
}
