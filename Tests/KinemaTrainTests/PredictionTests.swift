import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaTensor
import KinemaTrain
import KinemaVideo
import Testing

/// `Prediction.classify` with Kinema runs, and what it refuses: videos too short, broken or
/// missing, clips the model cannot take, class-name files that do not fit.
@Suite(.serialized) struct PredictionTests {
    @Test func aFineTunedRunPredictsWhatItsEvaluationScores() throws {
        let output = temporaryRunFolder("predict-finetuned")
        defer { try? FileManager.default.removeItem(at: output) }
        var config = tinyFineTuneConfig(output: output, steps: 2)
        config.evaluateAtEnd = false
        _ = try FineTuning.run(config, interrupt: TrainingInterrupt())

        let checkpoint = try ClassifierCheckpoint.load(output)
        #expect(checkpoint.classNames == TinyMotionVideos.classes, "names from the run's training set")
        #expect(checkpoint.statistics.named == .kinetics && checkpoint.clip.description == "4x32x32")
        #expect(checkpoint.settings.sampling == config.data.sampling)
        #expect(checkpoint.settings.views == TestViews(clips: 1, crops: 1, shortSide: 36, cropSize: 32))

        // The evaluation of one test video with the same single view: the same fused scores.
        config.data.testClips = 1
        let test = try config.data.testDataset()
        let evaluation = try Evaluation.run(
            checkpoint.backbone, on: test, videos: [4], loader: try config.data.loader(), input: ClipInput(normalization: .kinetics))
        let prediction = try Prediction.classify(test[4].url, with: checkpoint, top: 3)
        #expect(prediction.top.map(\.index) == evaluation.predictions[0].top.prefix(3).map { $0 })
        for score in prediction.top {
            #expect(abs(score.probability - evaluation.predictions[0].scores[score.index]) < 1e-6)
            #expect(score.name == TinyMotionVideos.classes[score.index])
        }
        #expect(prediction.frames == TinyMotionVideos.frames && prediction.views == 1)
    }

    @Test func aPretrainingRunPredictsItsPretextClassesWithoutNames() throws {
        let checkpoint = try ClassifierCheckpoint.load(try TinyMoSIRun.folder())
        #expect(checkpoint.classNames == nil && checkpoint.classes == 9)
        // MoSI trains on 4-frame 32² clips; the crop is 0.875 of the short side.
        #expect(checkpoint.settings.views == TestViews(clips: 1, crops: 1, shortSide: 37, cropSize: 32))
        // MoSI's fine-tuning interval 4 at 30 fps spans more than the 12 frames: the largest that fits.
        let video = TinyMotionSet.videos.appendingPathComponent("MoveLeft/v_MoveLeft_g01_c01.avi")
        let short = try #require(throws: PredictionError.self) { try Prediction.classify(video, with: checkpoint) }
        #expect(short.description.contains("interval 4 at 30.0 fps") && short.description.contains("--stride 3"), "\(short)")
        var settings = checkpoint.settings
        settings.sampling.stride = 3
        let result = try Prediction.classify(video, with: checkpoint, settings: settings)
        #expect(result.top.count == 5 && result.top[0].name == "class \(result.top[0].index)")
        #expect(zip(result.top, result.top.dropFirst()).allSatisfy { $0.probability >= $1.probability })
    }

    @Test func unusableVideosAndRequestsAreRefusedWithTheReason() throws {
        let folder = TemporaryFolder()
        let model = try VideoMAECheckpointFiles.model(classes: 3)
        try VideoMAECheckpointFiles.huggingFace(model, labels: ["a", "b", "c"], to: folder.file("hub"))
        let checkpoint = try ClassifierCheckpoint.load(folder.file("hub"))
        let video = folder.file("six-frames.avi")
        let writer = try VideoWriter(url: video, width: 64, height: 64, fps: 25, codecs: ["FFV1"])
        for _ in 0..<6 { try writer.write(Image(width: 64, height: 64, format: .rgb, pixels: [UInt8](repeating: 90, count: 64 * 64 * 3))) }
        try writer.finish()
        try Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: folder.file("broken.avi"))

        // 8 frames at stride 4 span 29; 6 decode.
        let short = try #require(throws: PredictionError.self) { try Prediction.classify(video, with: checkpoint) }
        #expect(short.description.contains("6 frame(s) decoded") && short.description.contains("span 29"), "\(short)")
        #expect(short.description.contains("use a longer video (a clip has 8 frames)"), "\(short)")
        var settings = checkpoint.settings
        settings.sampling.frames = 4
        let strided = try #require(throws: PredictionError.self) { try Prediction.classify(video, with: checkpoint, settings: settings) }
        #expect(strided.description.contains("--stride 1 (the largest that fits)"), "\(strided)")

        settings.sampling = ClipSampling(frames: 5, stride: 1)
        let odd = try #require(throws: PredictionError.self) { try Prediction.classify(video, with: checkpoint, settings: settings) }
        #expect(odd.description.contains("5x64x64 clips do not fit the model") && odd.description.contains("multiple of 2"), "\(odd)")

        let broken = try #require(throws: VideoError.self) { try Prediction.classify(folder.file("broken.avi"), with: checkpoint) }
        #expect(broken.description.contains("broken.avi") && broken.description.contains("cannot be decoded"), "\(broken)")
        let missing = try #require(throws: VideoError.self) { try Prediction.classify(folder.file("missing.mp4"), with: checkpoint) }
        #expect(missing.description.contains("missing.mp4: no such file"), "\(missing)")
        let names = try #require(throws: PredictionError.self) {
            try Prediction.classify(video, with: checkpoint, classNames: ["only", "two"])
        }
        #expect(names.description.contains("2 class names for a classifier of 3 classes"), "\(names)")
    }

    @Test func aClassNamesFileNeedsOneNameForEveryOutput() throws {
        let folder = TemporaryFolder()
        try Data("walk\r\nrun \n jump\n\n\n".utf8).write(to: folder.file("ok.txt"))
        #expect(try ClassNamesFile.read(folder.file("ok.txt"), classes: 3) == ["walk", "run", "jump"])
        try Data("walk\n\njump\n".utf8).write(to: folder.file("gap.txt"))
        try Data([0xff, 0xfe, 0x00]).write(to: folder.file("binary.txt"))
        for (name, classes, reason) in [
            ("ok.txt", 4, "names 3 classes, but the classifier has 4 outputs"), ("gap.txt", 3, "line 2 is empty"),
            ("binary.txt", 3, "not UTF-8 text"), ("absent.txt", 3, "cannot be read"),
        ] {
            let error = try #require(throws: PredictionError.self) { try ClassNamesFile.read(folder.file(name), classes: classes) }
            #expect(error.description.contains(folder.file(name).path) && error.description.contains(reason), "\(error)")
        }
    }
}
