import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor
import KinemaTrain
import Testing

/// Serialized: each run takes both cores.
@Suite(.serialized) struct FineTuningTests {

@Test
func fineTuningAMoSICheckpointOnATinyMotionSetBeatsChance() throws {
    let output = temporaryRunFolder("finetune-smoke")
    defer { try? FileManager.default.removeItem(at: output) }
    var config = tinyFineTuneConfig(output: output, steps: 40)
    config.model.pretrained = try TinyMoSIRun.folder().path
    var loaded: PretrainedWeights?
    let summary = try FineTuning.run(config, interrupt: TrainingInterrupt()) { event in
        if case .started(_, _, _, _, _, let pretrained, _) = event { loaded = pretrained }
    }
    #expect(loaded?.kinema?.name == .r3d18Tiny && loaded?.kinema?.classes == 9, "the MoSI checkpoint (9 pretext classes) was loaded")
    #expect(summary.steps == 40 && summary.trainingVideos == 18 && summary.classes == 3)
    // 9 test videos, 3 classes (chance 1/3), each scored from 2 clips fused.
    let result = try JSONDecoder().decode(
        EvaluationResult.self, from: Data(contentsOf: output.appendingPathComponent("evaluation.json")))
    #expect(result.videos == 9 && result.views.count == 2 && result.skipped.isEmpty)
    #expect(result.top1 >= 2.0 / 3, "test top-1 \(result.top1) after 40 steps (chance 0.33)")
    #expect(result.confusion.joined().reduce(0, +) == 9)
    // Every class's fused probability is kept: a distribution whose best classes are `top`.
    for prediction in result.predictions {
        #expect(prediction.scores.count == 3 && abs(prediction.scores.reduce(0, +) - 1) < 1e-5, "\(prediction.scores)")
        #expect(prediction.scores.indices.max { prediction.scores[$0] < prediction.scores[$1] } == prediction.top[0])
        #expect(prediction.top.map { prediction.scores[$0] } == prediction.probabilities)
    }
    // The confusion record RunReport draws, for validation and test.
    let metrics = try String(contentsOf: output.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
    #expect(metrics.contains(#""split":"test""#) && metrics.contains(#""split":"validation""#))
    #expect(metrics.contains(#""labels":["MoveRight","MoveLeft","MoveDown"]"#))
}

@Test
func aCheckpointOfAnotherModelIsRefusedWithTheFix() throws {
    for (name, width) in [(ModelName.r2plus1d18Tiny, 8), (.r3d18Tiny, 16)] {
        let output = temporaryRunFolder("finetune-mismatch")
        defer { try? FileManager.default.removeItem(at: output) }
        var config = tinyFineTuneConfig(output: output, steps: 1)
        config.model.pretrained = try TinyMoSIRun.folder().path
        config.model.name = name.rawValue
        config.model.width = width
        do {
            _ = try FineTuning.run(config, interrupt: TrainingInterrupt())
            Issue.record("fine-tuning \(name) at width \(width) from an r3d_18_tiny width-8 checkpoint was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("r3d_18_tiny at width 8") && text.contains("\(name.rawValue) at width \(width)"), "\(text)")
            #expect(text.contains("--set model.name=r3d_18_tiny --set model.width=8"), "\(text)")
        }
    }
}

@Test
func aLinearProbeTrainsOnlyTheClassifier() throws {
    let output = temporaryRunFolder("finetune-probe")
    defer { try? FileManager.default.removeItem(at: output) }
    var config = tinyFineTuneConfig(output: output, steps: 3)
    config.model.pretrained = try TinyMoSIRun.folder().path
    config.model.linearProbe = true
    config.evaluateAtEnd = false
    _ = try FineTuning.run(config, interrupt: TrainingInterrupt())

    let pretrained = try Checkpoint.load(RunFolder(try TinyMoSIRun.folder()).latestCheckpoint()!).model
    let tuned = try Checkpoint.load(RunFolder(output).latestCheckpoint()!).model
    #expect(Set(pretrained.keys) == Set(tuned.keys))
    var headChanged = false
    for (key, tensor) in tuned {
        if key.hasPrefix("fc.") {
            headChanged = headChanged || tensor.shape != pretrained[key]!.shape || !tensor.isEqual(to: pretrained[key]!)
        } else {
            // Weights and BatchNorm statistics alike (the probe runs BatchNorm in evaluation mode).
            #expect(tensor.isEqual(to: pretrained[key]!), "\(key) changed under a linear probe")
        }
    }
    #expect(headChanged)
    #expect(tuned["fc.weight"]!.shape == [3, 64])
}

@Test
func freezingStagesKeepsTheirWeights() throws {
    let output = temporaryRunFolder("finetune-freeze")
    defer { try? FileManager.default.removeItem(at: output) }
    var config = tinyFineTuneConfig(output: output, steps: 2)
    config.model.pretrained = try TinyMoSIRun.folder().path
    config.model.freezeStages = 2
    config.evaluateAtEnd = false
    _ = try FineTuning.run(config, interrupt: TrainingInterrupt())
    let pretrained = try Checkpoint.load(RunFolder(try TinyMoSIRun.folder()).latestCheckpoint()!).model
    let tuned = try Checkpoint.load(RunFolder(output).latestCheckpoint()!).model
    // stem and layer1 frozen (their convolution weights fixed); layer2 on trains.
    #expect(tuned["stem.0.weight"]!.isEqual(to: pretrained["stem.0.weight"]!))
    #expect(tuned["layer1.0.conv1.0.weight"]!.isEqual(to: pretrained["layer1.0.conv1.0.weight"]!))
    #expect(!tuned["layer2.0.conv1.0.weight"]!.isEqual(to: pretrained["layer2.0.conv1.0.weight"]!))
}

@Test func layerDecayScalesTheRateByDepthAndBiasesGetNoWeightDecay() throws {
    let output = temporaryRunFolder("finetune-layer-decay")
    defer { try? FileManager.default.removeItem(at: output) }
    var config = tinyFineTuneConfig(output: output, steps: 1)
    config.optim.optimizer = "adamw"
    config.optim.weightDecay = 0.05
    config.optim.layerDecay = 0.5
    config.evaluateAtEnd = false
    _ = try FineTuning.run(config, interrupt: TrainingInterrupt())
    let optimizer = try Checkpoint.load(RunFolder(output).lastCheckpoint).optimizer
    func values(_ name: String) -> [Double] {
        optimizer.filter { $0.key.hasSuffix("." + name) }.sorted { $0.key < $1.key }.map { $0.value.item(Double.self) }
    }
    // Stem, layer1 … layer4, fc: 0.5⁵ … 0.5⁰ of the rate; each with and without weight decay.
    #expect(Set(values("lr_scale")) == Set((0...5).map { pow(0.5, Double($0)) }))
    #expect(Set(values("weight_decay")) == [0, 0.05])
    for (scale, lr) in zip(values("lr_scale"), values("lr")) { #expect(abs(lr - 3e-3 * scale) < 1e-12) }
}

@Test func anInterruptedAndResumedFineTuningEqualsAnUninterruptedOne() throws {
    let straight = temporaryRunFolder("finetune-straight")
    let stopped = temporaryRunFolder("finetune-stopped")
    defer {
        try? FileManager.default.removeItem(at: straight)
        try? FileManager.default.removeItem(at: stopped)
    }
    func config(_ output: URL) -> FineTuneConfig {
        var config = tinyFineTuneConfig(output: output, steps: 4)
        config.model.dropout = 0.5  // its generator must be restored too
        config.evaluateAtEnd = false
        config.validateEvery = 100
        return config
    }
    _ = try FineTuning.run(config(straight), interrupt: TrainingInterrupt())
    let interrupt = TrainingInterrupt()
    let first = try FineTuning.run(config(stopped), interrupt: interrupt) { event in
        if case .step(let step, _, _, _, _) = event, step == 2 { interrupt.request() }
    }
    #expect(first.steps == 2)
    let resumed = try FineTuning.run(config(stopped), resume: true, interrupt: TrainingInterrupt())
    #expect(resumed.steps == 4)

    try expectSameLastCheckpoint(straight, stopped)
}

}

@Test func fewShotSelectionTakesKPerClassDeterministically() throws {
    // 3 classes with 5, 5 and 2 videos (no files needed to select).
    let labels = [0, 1, 2, 0, 1, 0, 1, 0, 1, 0, 1, 2]
    let items = labels.enumerated().map { VideoItem(url: URL(fileURLWithPath: "/v\($0.offset).avi"), label: $0.element) }
    let dataset = try VideoDataset(items: items, classNames: ["a", "b", "c"])
    let a = try dataset.fewShot(3, seed: 7)
    #expect(a.classCounts == [3, 3, 2], "k per class; a class with fewer keeps all")
    #expect(a.items == (try dataset.fewShot(3, seed: 7)).items, "the same seed picks the same videos")
    let order = a.items.map { items.firstIndex(of: $0)! }
    #expect(order == order.sorted(), "kept in the dataset's order")
    let picks = Set((0..<20).map { seed in try! dataset.fewShot(1, seed: UInt64(seed)).items })
    #expect(picks.count > 1, "other seeds pick other videos")
    #expect(throws: DatasetError.self) { try dataset.fewShot(0, seed: 0) }
}

@Test func invalidFineTuneConfigsListEveryProblem() {
    var config = FineTuneConfig()
    config.data.format = "youtube"
    config.model.name = "resnet_9000"
    config.optim.optimizer = "lion"
    config.epochs = 3  // and steps 1000
    config.data.cropSize = 300  // larger than testShortSide 128
    do {
        _ = try config.validated()
        Issue.record("an invalid config was accepted")
    } catch {
        let text = "\(error)"
        for word in ["youtube", "resnet_9000", "lion", "exactly one of steps", "crop size 300"] {
            #expect(text.contains(word), "missing '\(word)' in \(text)")
        }
    }
}

@Test func epochsBecomeStepsOverTheTrainingVideos() {
    var config = FineTuneConfig()
    config.steps = 0
    config.epochs = 300
    config.optim.warmupEpochs = 10
    config.data.batchSize = 384
    // MoSI's UCF101 recipe: 9,537 videos at 384 per step → 25 steps an epoch.
    let schedule = config.schedule(trainingVideos: 9537)
    #expect(schedule.steps == 7500 && schedule.warmup == 250)
}

@Test func everyShippedFineTuneConfigValidates() throws {
    let folder = TestData.repository.appendingPathComponent("configs/finetune")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
    #expect(files.count >= 3)
    // The dataset paths a user passes with --set, filled in for every format.
    let paths = ["data.videos=/data/v", "data.splits=/data/s", "data.train=/data/train", "data.test=/data/test", "data.labels=/data/l"]
    for file in files {
        do {
            let config = try FineTuneConfig.resolve(file: folder.appendingPathComponent(file), overrides: paths).validated()
            #expect(ModelName(rawValue: config.model.name) != nil, "\(file)")
        } catch {
            Issue.record("\(file): \(error)")
        }
    }
}
