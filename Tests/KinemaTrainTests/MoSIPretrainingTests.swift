import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaOptim
import KinemaPretext
import KinemaTensor
import KinemaTrain
import Testing


private func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("kinema-mosi-\(UInt64.random(in: 0...UInt64.max))")
}

/// A toy-sized MoSI run: 4-frame 32² clips of 64² standardised photos, R3D-18 at width 8.
/// The photos are the real ones `make testdata` puts in .deps/data/photos (scikit-image's data
/// set); without them the test fails with that command.
func tinyMoSIConfig(output: URL, steps: Int) throws -> MoSIPretrainConfig {
    var config = MoSIPretrainConfig()
    config.run.output = output.path
    // 0 leaves the engine's thread count alone: it is process-wide, and a test that changed it
    // would change the arithmetic of tests running beside this one.
    config.run.threads = 0
    config.run.checkpointEvery = 1000
    config.run.tensorBoard = false
    config.data.source = try TestData.url("photos").path
    config.data.imagesPerStep = 2
    config.data.validationImages = 1
    config.model.name = ModelName.r3d18Tiny.rawValue
    config.model.channelsLast = false
    config.generator.frames = 4
    config.generator.cropSize = 32
    config.generator.standardSize = 64
    config.optim.warmupSteps = 5
    config.steps = steps
    config.validateEvery = steps
    return config
}

/// Serialized: each run takes both cores.
@Suite(.serialized) struct MoSIPretrainingTests {

@Test
func aTinyModelLearnsThePretextTaskOnAHandfulOfPhotos() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    var config = try tinyMoSIConfig(output: output, steps: 120)
    // Global motion only, no colour jitter: the overfitting check of the pretext task itself.
    config.generator.mask = "none"
    config.generator.colorJitter = "none"
    config.model.dropout = 0
    config.optim.learningRate = 3e-3
    config.data.validationImages = 0
    let summary = try MoSIPretraining.run(config, interrupt: TrainingInterrupt())
    #expect(summary.steps == 120)

    // Pretext accuracy on the training photos, from the saved checkpoint, with centred paths.
    let checkpoint = try Checkpoint.load(output.appendingPathComponent("checkpoints/last.safetensors"))
    let store = ParameterStore()
    let model = try ModelName.r3d18Tiny.make(store.root, classes: 9)
    try model.loadStateDict(checkpoint.model)
    var validation = try config.generator.generatorConfig(split: .validation)
    validation.flip = .none
    let generator = try MoSIGenerator(validation, seed: 99, threads: 1)
    let images = try ImageFolderSource(TestData.url("photos"))
    let batch = try generator.batch(from: images, indices: Array(0..<images.count), epoch: 0)
    let (clips, labels) = batch.tensors(.kinetics)
    let predicted = withNoGrad { model(clips, mode: .eval).argmax(dim: 1) }
    let accuracy = (predicted .== labels).to(.float32).mean().item(Double.self)
    #expect(accuracy > 0.9, "pretext accuracy \(accuracy) after 120 steps on \(images.count) photos")
}

/// Also with the step-driven mask curriculum (still shrinking when the run stops) and label noise.
@Test(arguments: [false, true])
func anInterruptedAndResumedRunEqualsAnUninterruptedOne(curriculumAndLabelNoise: Bool) throws {
    let straight = temporaryFolder()
    let stopped = temporaryFolder()
    defer {
        try? FileManager.default.removeItem(at: straight)
        try? FileManager.default.removeItem(at: stopped)
    }
    let steps = 6
    func config(_ output: URL) throws -> MoSIPretrainConfig {
        var config = try tinyMoSIConfig(output: output, steps: steps)
        if curriculumAndLabelNoise {
            config.generator.maskCurriculum = [1, 5]
            config.generator.labels = "random"
        }
        return config
    }
    _ = try MoSIPretraining.run(try config(straight), interrupt: TrainingInterrupt())

    // Ctrl-C after step 3 (the interrupt is polled before step 4), then --resume.
    let interrupt = TrainingInterrupt()
    let first = try MoSIPretraining.run(try config(stopped), interrupt: interrupt) { event in
        if case .step(let step, _, _, _, _) = event, step == 3 { interrupt.request() }
    }
    #expect(first.steps == 3)
    let resumed = try MoSIPretraining.run(try config(stopped), resume: true, interrupt: TrainingInterrupt())
    #expect(resumed.steps == steps)

    try expectSameLastCheckpoint(straight, stopped)
}

}

@Test func invalidMoSIConfigsListEveryProblem() {
    var config = MoSIPretrainConfig()
    config.steps = 0
    config.model.name = "resnet_9000"
    config.generator.flip = "sideways"
    #expect(throws: ConfigError.self) { try config.validated() }
    do {
        _ = try config.validated()
    } catch {
        let text = "\(error)"
        #expect(text.contains("steps") && text.contains("resnet_9000") && text.contains("sideways") && text.contains("data.source"))
    }
}

/// MoSI-x and MoSI-y (MoSI Fig. 6): a label pool of horizontal or vertical speeds only, 2K + 1
/// classes, chosen from a config like any other setting.
@Test func oneAxisLabelPoolsComeFromTheConfig() throws {
    for (motions, axisMoves) in [("horizontal", { (s: MoSISpeed) in s.y == 0 }), ("vertical", { (s: MoSISpeed) in s.x == 0 })] {
        let config = try MoSIPretrainConfig.resolve(
            overrides: ["data.source=/photos", "generator.motions=\(motions)", "generator.speedsPerDirection=2"])
        let pool = try config.generator.generatorConfig(split: .train).labelPool
        #expect(pool.count == 5, "\(motions): 2K + 1 classes")
        #expect(pool.speeds.allSatisfy(axisMoves), "\(motions): \(pool.speeds)")
        #expect(Set(pool.speeds).count == 5 && pool.speeds.last == .still)
    }
    let error = #expect(throws: ConfigError.self) {
        try MoSIPretrainConfig.resolve(overrides: ["data.source=/photos", "generator.motions=diagonal"])
    }
    #expect(error?.problems.contains { $0.contains("horizontal, vertical, decoupled, coupled, got 'diagonal'") } == true)
}

/// The mask curriculum and label noise from a config: training's only, validation measures the
/// paper's mask against the true motion; malformed values are errors naming their key.
@Test func maskCurriculumAndLabelNoiseComeFromTheConfig() throws {
    let config = try MoSIPretrainConfig.resolve(
        overrides: ["data.source=/photos", "generator.maskCurriculum=[1, 150]", "generator.labels=random"])
    let train = try config.generator.generatorConfig(split: .train)
    #expect(train.maskCurriculum == MoSIMaskCurriculum(startRatio: 1, steps: 150) && train.labels == .random)
    let validation = try config.generator.generatorConfig(split: .validation)
    #expect(validation.maskCurriculum == nil && validation.labels == .motion && validation.staticMask == .randomRatio(0.3...0.5))

    for (override, words) in [
        ("generator.labels=shuffled", "labels: must be one of motion, random, got 'shuffled'"),
        ("generator.maskCurriculum=[1]", "maskCurriculum: must be [] or [startRatio, steps]"),
        ("generator.maskCurriculum=[1, 2.5]", "maskCurriculum: must be [] or [startRatio, steps]"),
        ("generator.maskCurriculum=[0, 100]", "start ratio must lie in (0, 1]"),
    ] {
        let error = #expect(throws: ConfigError.self) { try MoSIPretrainConfig.resolve(overrides: ["data.source=/photos", override]) }
        #expect(error?.problems.contains { $0.contains(words) } == true, "\(override): \(error?.problems ?? [])")
    }
    let unmasked = #expect(throws: ConfigError.self) {
        try MoSIPretrainConfig.resolve(overrides: ["data.source=/photos", "generator.mask=none", "generator.maskCurriculum=[1, 10]"])
    }
    #expect(unmasked?.problems.contains { $0.contains("not none") } == true)
}
