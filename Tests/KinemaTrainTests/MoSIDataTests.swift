import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaOptim
import KinemaPretext
import KinemaTensor
@testable import KinemaTrain
import KinemaVideo
import Synchronization
import Testing

/// A tiny MoSI config over the UCF101-layout ``TinyMotionSet`` (18 training, 9 test videos).
private func tinyDatasetMoSIConfig(output: URL, videos: URL) throws -> MoSIPretrainConfig {
    var config = try tinyMoSIConfig(output: output, steps: 0)
    config.data.format = "ucf101"
    config.data.source = videos.path
    config.data.splits = TinyMotionSet.splits.path
    config.data.validationImages = 2
    config.data.imagesPerStep = 5
    config.epochs = 1
    config.optim.warmupSteps = 1
    config.validateEvery = 100
    return config
}

/// A source that records which item and frame every draw took (frames told apart by their bytes).
private struct RecordingSource: StillImageSource {
    final class Log: Sendable {
        let draws = Mutex<[(index: Int, frame: [UInt8])]>([])
    }

    let base: any StillImageSource
    let log = Log()
    var count: Int { base.count }

    func image<G: RandomNumberGenerator>(at index: Int, using generator: inout G) throws(VideoError) -> Image {
        let image = try base.image(at: index, using: &generator)
        log.draws.withLock { $0.append((index, image.pixels)) }
        return image
    }

    /// The draws so far, forgotten.
    func take() -> [(index: Int, frame: [UInt8])] { log.draws.withLock { draws in defer { draws = [] }; return draws } }
}

/// Serialized: each run takes both cores.
@Suite(.serialized) struct MoSIDataTests {

/// The test list's videos are deleted from a copy of the set: pretraining on the training side
/// would fail to open one if it ever read it. One epoch of 16 training videos (2 held out) at 5
/// per step is ⌈16 / 5⌉ = 4 steps.
@Test
func pretrainingOnADatasetReadsItsTrainListOnly() throws {
    let root = temporaryRunFolder("mosi-trainlist")
    defer { try? FileManager.default.removeItem(at: root) }
    let videos = root.appendingPathComponent("videos")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: TinyMotionSet.videos, to: videos)
    let testList = try String(contentsOf: TinyMotionSet.splits.appendingPathComponent("testlist01.txt"), encoding: .utf8)
        .split(whereSeparator: \.isNewline).map(String.init)
    #expect(testList.count == 9)
    for path in testList { try FileManager.default.removeItem(at: videos.appendingPathComponent(path)) }

    let config = try tinyDatasetMoSIConfig(output: root.appendingPathComponent("run"), videos: videos)
    let listed = try config.data.trainingVideos()
    #expect(listed.count == 18)
    #expect(Set(listed.items.map { $0.url.path }).isDisjoint(with: testList.map { videos.appendingPathComponent($0).path }))

    var started: (images: Int, held: Int, steps: Int)?
    let summary = try MoSIPretraining.run(config, interrupt: TrainingInterrupt()) { event in
        if case .started(let images, let held, _, _, let steps, _) = event { started = (images, held, steps) }
    }
    #expect(started?.images == 16 && started?.held == 2 && started?.steps == 4)
    #expect(summary.steps == 4)
}

/// Every epoch draws one frame of every training video, a fresh one each epoch; redrawing an
/// epoch from its first step (what a resumed run does) draws the same frames. 16 videos at 5 per
/// step: 4 steps an epoch, the last with 1 video.
@Test
func everyEpochDrawsOneNewFramePerVideoAndAResumeDrawsTheSame() throws {
    let config = try tinyDatasetMoSIConfig(output: temporaryRunFolder("unused"), videos: TinyMotionSet.videos)
    let (training, _, _) = try config.data.sources()
    let source = RecordingSource(base: training)
    let generator = try MoSIGenerator(try config.generator.generatorConfig(split: .train), seed: 7, threads: 2)
    let perEpoch = config.stepsPerEpoch(trainingImages: source.count)
    #expect(source.count == 16 && perEpoch == 4)

    func drawEpoch(_ epoch: Int) throws -> [Int: [UInt8]] {
        var sizes: [Int] = []
        for step in (epoch * perEpoch)..<((epoch + 1) * perEpoch) {
            let (indices, drawnEpoch) = TrainingOrder.epochs(step: step, batch: 5, count: source.count, seed: 7)
            #expect(drawnEpoch == epoch)
            sizes.append(indices.count)
            _ = try generator.batch(from: source, indices: indices, epoch: drawnEpoch)
        }
        #expect(sizes == [5, 5, 5, 1])
        let draws = source.take()
        #expect(draws.map { $0.index }.sorted() == Array(0..<16), "epoch \(epoch): each video once")
        return Dictionary(uniqueKeysWithValues: draws.map { ($0.index, $0.frame) })
    }
    let first = try drawEpoch(0)
    let second = try drawEpoch(1)
    // 12-frame videos: a video redraws its epoch-0 frame with probability 1/12, so 9 or more of 16
    // doing so has probability below 1e-6.
    let redrawn = (0..<16).filter { first[$0] == second[$0] }.count
    #expect(redrawn < 9, "\(redrawn) of 16 videos drew the same frame in epochs 0 and 1")
    #expect(try drawEpoch(1) == second, "epoch 1 drawn again from its first step")
}

/// A pretraining run records its normalisation; fine-tuning from it must use the same, and the
/// settings to probe it (`kinema features`) follow it.
@Test
func theNormalisationOfPretrainingIsRecordedAndFineTuningMustMatchIt() throws {
    let pretrainedRun = temporaryRunFolder("mosi-imagenet")
    defer { try? FileManager.default.removeItem(at: pretrainedRun) }
    var pretrain = try tinyMoSIConfig(output: pretrainedRun, steps: 1)
    pretrain.optim.warmupSteps = 0
    pretrain.data.normalization = "imagenet"
    _ = try MoSIPretraining.run(pretrain, interrupt: TrainingInterrupt())
    let pretrained = try PretrainedBackbone.load(pretrainedRun)
    #expect(pretrained.normalization == .imagenet)
    #expect(try PretrainedBackbone.load(try TinyMoSIRun.folder()).normalization == .kinetics)

    let dataset = ["data.videos=\(TinyMotionSet.videos.path)", "data.splits=\(TinyMotionSet.splits.path)"]
    let probed = try FineTuneConfig.resolve(for: pretrained, file: nil, overrides: dataset, requireFineTuned: false)
    #expect(probed.data.inputNormalization == .imagenet)
    let refused = #expect(throws: ConfigError.self) {
        try FineTuneConfig.resolve(
            for: pretrained, file: nil, overrides: dataset + ["data.normalization=kinetics"], requireFineTuned: false)
    }
    #expect(refused?.problems.first?.contains("trained on imagenet-normalised clips, not kinetics") == true)

    let mismatched = temporaryRunFolder("finetune-kinetics")
    defer { try? FileManager.default.removeItem(at: mismatched) }
    var finetune = tinyFineTuneConfig(output: mismatched, steps: 1)
    finetune.model.pretrained = pretrainedRun.path
    finetune.evaluateAtEnd = false
    let error = #expect(throws: TrainingRunError.self) { try FineTuning.run(finetune, interrupt: TrainingInterrupt()) }
    #expect(error?.description.contains("--set data.normalization=imagenet") == true, "\(error?.description ?? "")")

    let matched = temporaryRunFolder("finetune-imagenet")
    defer { try? FileManager.default.removeItem(at: matched) }
    finetune.run.output = matched.path
    finetune.data.normalization = "imagenet"
    let summary = try FineTuning.run(finetune, interrupt: TrainingInterrupt())
    #expect(summary.steps == 1)
    #expect(try PretrainedBackbone.load(matched).normalization == .imagenet, "the fine-tuned run records it in turn")
}

/// A checkpoint written before `data.normalization` existed was trained with Kinetics statistics.
@Test
func aRunWithoutTheRecordMeansKinetics() throws {
    let folder = temporaryRunFolder("mosi-old")
    defer { try? FileManager.default.removeItem(at: folder) }
    var checkpoint = try Checkpoint.load(RunFolder(try TinyMoSIRun.folder()).latestCheckpoint()!)
    var config = try JSONSerialization.jsonObject(with: Data(checkpoint.metadata["config"]!.utf8)) as! [String: Any]
    var data = config["data"] as! [String: Any]
    data["normalization"] = nil
    config["data"] = data
    checkpoint.metadata["config"] = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
    let file = folder.appendingPathComponent("old.safetensors")
    try checkpoint.save(to: file)
    #expect(!checkpoint.metadata["config"]!.contains("normalization"))
    #expect(try PretrainedBackbone.load(file).normalization == .kinetics)
}

}

@Test func epochOrderTakesEveryItemOncePerEpochAndMatchesTheWrappingOrderWhenTheBatchDivides() {
    for (count, batch) in [(7, 3), (16, 5), (9, 9), (5, 8)] {
        let perEpoch = TrainingOrder.stepsPerEpoch(batch: batch, count: count)
        #expect(perEpoch == Int((Double(count) / Double(batch)).rounded(.up)))
        for epoch in 0..<3 {
            let steps = (epoch * perEpoch)..<((epoch + 1) * perEpoch)
            let taken = steps.flatMap { TrainingOrder.epochs(step: $0, batch: batch, count: count, seed: 1).indices }
            #expect(taken.sorted() == Array(0..<count), "count \(count), batch \(batch), epoch \(epoch)")
        }
    }
    for step in 0..<10 {
        #expect(TrainingOrder.epochs(step: step, batch: 4, count: 12, seed: 3) == TrainingOrder.wrapping(step: step, batch: 4, count: 12, seed: 3))
    }
}

@Test func epochsBecomeStepsAndExactlyOneLengthIsGiven() throws {
    var config = try MoSIPretrainConfig.resolve(overrides: ["data.source=/photos", "steps=0", "epochs=2", "data.imagesPerStep=2"])
    // The benchmark's 252 training videos less 4 held out: 248 / 2 = 124 steps an epoch.
    #expect(config.schedule(trainingImages: 248) == (248, 100))
    config.optim.warmupEpochs = 0.5
    #expect(config.schedule(trainingImages: 248) == (248, 62))
    config.data.imagesPerStep = 5
    #expect(config.stepsPerEpoch(trainingImages: 16) == 4)
    #expect(config.schedule(trainingImages: 16) == (8, 2))
    config.data.imagesPerStep = 40  // more than the images: one step an epoch
    #expect(config.stepsPerEpoch(trainingImages: 16) == 1)

    for (overrides, message) in [
        (["steps=0", "epochs=0"], "set exactly one of steps (0) and epochs (0)"),
        (["steps=10", "epochs=2"], "set exactly one of steps (10) and epochs (2)"),
        (["steps=10", "optim.warmupEpochs=1"], "needs an epochs-long run"),
        (["steps=0", "epochs=-1"], "steps and epochs must be ≥ 0"),
    ] {
        let error = #expect(throws: ConfigError.self) {
            try MoSIPretrainConfig.resolve(overrides: ["data.source=/photos"] + overrides)
        }
        #expect(error?.problems.contains { $0.contains(message) } == true, "\(overrides): \(error?.problems ?? [])")
    }
}

@Test func datasetFormatsNameWhatTheyNeedAndNormalisationsAreKnown() {
    let error = #expect(throws: ConfigError.self) {
        try MoSIPretrainConfig.resolve(overrides: ["data.format=ucf101", "data.split=4", "data.normalization=cifar"])
    }
    let problems = error?.problems ?? []
    for expected in ["data.source", "data.splits", "must be 1, 2 or 3, got 4", "must be kinetics or imagenet or torchvision or symmetric, got 'cifar'"] {
        #expect(problems.contains { $0.contains(expected) }, "\(expected) in \(problems)")
    }
    let list = #expect(throws: ConfigError.self) { try MoSIPretrainConfig.resolve(overrides: ["data.format=list"]) }
    #expect(list?.problems.contains { $0.contains("data.train") } == true)
    let unknown = #expect(throws: ConfigError.self) { try MoSIPretrainConfig.resolve(overrides: ["data.format=imagenet1k", "data.source=/x"]) }
    #expect(unknown?.problems.contains { $0.contains("must be empty (a folder) or one of") } == true)
}
