#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KinemaNN
import KinemaOptim
import KinemaTensor
import KinemaTrain
import Testing

private struct TinyConfig: RunConfig {
    var run = RunSettings()
    /// Learning rate of the toy regression.
    var lr = 0.05
    var steps = 6

    init() {}
}

/// A toy trainer: a linear model fit by SGD with momentum to fixed data, plus noise from a
/// libtorch generator and data picked per step from a step-indexed seed, so an exact resume
/// needs the model, the optimizer state and the generator state.
private final class ToyTrainer {
    let model: Linear
    let optimizer: SGD
    let noise: Generator
    let inputs = Tensor((0..<24).map { Float($0 % 7) / 7 - 0.4 }, shape: [8, 3])
    let targets = Tensor((0..<16).map { Float($0 % 5) / 5 }, shape: [8, 2])

    /// `initSeed` differs between a run and its resumption, so only the checkpoint can make them agree.
    init(initSeed: UInt64, lr: Double) throws {
        let store = ParameterStore(generator: try Generator(seed: initSeed))
        model = try Linear(store.root, inFeatures: 3, outFeatures: 2)
        optimizer = try SGD(model.trainableParameters().map(\.tensor), learningRate: lr, momentum: 0.9)
        noise = try Generator(seed: initSeed &+ 100)
    }

    var state: TrainingState {
        TrainingState(model: model, optimizer: optimizer, generators: ["noise": noise], modelDescription: "Linear(3, 2)")
    }

    /// One step in `precision`'s recipe (plain float32 without); `lossWeight` lets a test make
    /// the fp16 gradients overflow.
    func step(_ index: Int, precision: MixedPrecision? = nil, lossWeight: Float = 1) -> [String: Double] {
        let row = (index * 5) % 8  // step-indexed "sampling"
        let x = inputs.narrowed(dim: 0, start: row, length: 1)
        let y = targets.narrowed(dim: 0, start: row, length: 1) + Tensor.rand([1, 2], generator: noise) * 0.1
        optimizer.zeroGrad()
        let recipe = precision ?? MixedPrecision(.fp32, device: .cpu)
        let loss = recipe.forward { model(x).mseLoss(y) * lossWeight }
        recipe.backward(loss)
        recipe.step(optimizer)
        return ["loss": loss.item(Double.self)]
    }

    var weights: [Float] { model.stateDict().sorted { $0.key < $1.key }.flatMap { $0.value.array(of: Float.self) } }
}

private func tinyConfig(_ folder: URL) -> TinyConfig {
    var config = TinyConfig()
    config.run.output = folder.path
    config.run.checkpointEvery = 4
    config.run.keepCheckpointEvery = 2
    return config
}

/// metrics.jsonl as (split, step, loss) triples.
private func loggedLosses(_ folder: URL) throws -> [String] {
    try String(contentsOf: RunFolder(folder).metrics, encoding: .utf8).split(separator: "\n").map { line in
        let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        return "\(record["split"]!) \(record["step"]!) \(record["loss"]!)"
    }
}

private struct SimulatedCrash: Error {}

@Suite struct TrainingRunTests {
    @Test func aStraightRunWritesItsFolder() throws {
        let folder = temporaryFolder("run-straight")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = tinyConfig(folder)
        let run = try TrainingRun(config: config)
        let trainer = try ToyTrainer(initSeed: 1, lr: config.lr)
        let outcome = try run.train(steps: config.steps, state: trainer.state, interrupt: TrainingInterrupt()) { step in
            trainer.step(step)
        }
        #expect(outcome == .completed(step: 6))
        let files = RunFolder(folder)
        for url in [files.config, files.provenance, files.metrics, files.lastCheckpoint] {
            #expect(FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent)")
        }
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: files.checkpoints.path).sorted()
        #expect(checkpoints == ["last.safetensors", "step-00000002.safetensors", "step-00000004.safetensors", "step-00000006.safetensors"])
        #expect(try Checkpoint.load(files.checkpoint(step: 4)).step == 4)
        let last = try Checkpoint.load(files.lastCheckpoint)
        #expect(last.step == 6)
        #expect(last.extra.keys.sorted() == ["rng.noise"])
        #expect(last.metadata["config"]?.contains("\"lr\" : 0.05") == true)
        #expect(try TinyConfig.resolve(file: files.config).lr == 0.05)
        #expect(try loggedLosses(folder).map { $0.split(separator: " ")[1] } == ["1", "2", "3", "4", "5", "6"])
        let events = try eventFiles(in: files.tensorBoard).flatMap { try readEventFile($0).map(\.event) }
        #expect(events.compactMap { $0.scalars.first?.tag } == Array(repeating: "train/loss", count: 6))
    }

    /// Interrupted after step 3 (a SIGINT's path, requested by hand), crashed after logging step 5
    /// with the last checkpoint at 4: each resumption ends with the same weights and the same
    /// metrics as an uninterrupted run, and no step logged twice.
    @Test func aResumedRunContinuesExactly() throws {
        let straightFolder = temporaryFolder("run-reference")
        let folder = temporaryFolder("run-resumed")
        defer {
            try? FileManager.default.removeItem(at: straightFolder)
            try? FileManager.default.removeItem(at: folder)
        }
        let straight = try ToyTrainer(initSeed: 1, lr: 0.05)
        try TrainingRun(config: tinyConfig(straightFolder)).train(steps: 6, state: straight.state, interrupt: TrainingInterrupt()) {
            straight.step($0)
        }

        let config = tinyConfig(folder)
        // 1. Interrupted while step index 2 runs: the loop finishes it, saves step 3, stops.
        let interrupt = TrainingInterrupt()
        let first = try ToyTrainer(initSeed: 1, lr: config.lr)
        let stopped = try TrainingRun(config: config).train(steps: 6, state: first.state, interrupt: interrupt) { step in
            if step == 2 { interrupt.request() }
            return first.step(step)
        }
        #expect(stopped == .interrupted(step: 3, signal: nil))
        #expect(try Checkpoint.load(RunFolder(folder).lastCheckpoint).step == 3)

        // 2. Resumed from 3 with a differently initialised model; crashes in step index 5 after
        //    step 5 was logged (checkpointEvery 4: the last checkpoint is step 4).
        let second = try ToyTrainer(initSeed: 99, lr: config.lr)
        let resumed = try TrainingRun(config: config, resume: true)
        #expect(resumed.step == 3)
        #expect(throws: SimulatedCrash.self) {
            try resumed.train(steps: 6, state: second.state, interrupt: TrainingInterrupt()) { step in
                if step == 5 { throw SimulatedCrash() }
                return second.step(step)
            }
        }
        #expect(try loggedLosses(folder).count == 5)

        // 3. Resumed from 4: step 5's line is dropped and logged again.
        let third = try ToyTrainer(initSeed: 7, lr: config.lr)
        let run = try TrainingRun(config: config, resume: true)
        #expect(run.step == 4)
        #expect(try loggedLosses(folder).count == 4)
        #expect(try run.train(steps: 6, state: third.state, interrupt: TrainingInterrupt()) { third.step($0) } == .completed(step: 6))

        #expect(third.weights == straight.weights)
        #expect(try loggedLosses(folder) == loggedLosses(straightFolder))

        // TensorBoard: three files; the later ones hide the steps they log again.
        let files = try eventFiles(in: RunFolder(folder).tensorBoard)
        #expect(files.count == 3)
        let purges = try files.map { try readEventFile($0).map(\.event).first { $0.sessionStatus == 1 }?.step }
        #expect(purges == [nil, 4, 5])
        try keepTensorBoardSample(
            RunFolder(folder).tensorBoard, name: "resumed",
            expected: ["train/loss": try loggedLosses(folder).map { line in
                let parts = line.split(separator: " ")
                return (Int(parts[1])!, Double(parts[2])!)
            }])
    }

    @Test func aDivergedRunStillWritesItsSummaryAndMetrics() throws {
        // A bf16 or fp16 run whose loss went inf/NaN ends with its files written, not an encoding error.
        let folder = temporaryFolder("run-diverged")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        struct Summary: Codable { var loss: Double; var scale: Double }
        let url = folder.appendingPathComponent("summary.json")
        try RunProvenance.writeJSON(Summary(loss: .nan, scale: .infinity), to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"nan\"") && text.contains("\"inf\""))
        let log = try MetricsLog(folder.appendingPathComponent("metrics.jsonl"))
        try log.write(["step": 1, "loss": Double.nan])
        #expect(try String(contentsOf: log.url, encoding: .utf8).contains("\"loss\":null"))
    }

    @Test func aNaNLossStopsTheRunAndKeepsTheLastFiniteCheckpoint() throws {
        let folder = temporaryFolder("run-nan-stop")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = tinyConfig(folder)  // checkpoints every 4 steps
        let trainer = try ToyTrainer(initSeed: 1, lr: config.lr)
        let run = try TrainingRun(config: config)
        let error = #expect(throws: NonFiniteTrainingError.self) {
            try run.train(steps: 6, state: trainer.state, interrupt: TrainingInterrupt()) { step in
                trainer.step(step, lossWeight: step == 4 ? .nan : 1)  // the 5th step diverges
            }
        }
        #expect(error?.step == 5 && error?.lastCheckpoint == 4)
        #expect(error?.description.contains("lower optim.lr") == true, "\(error.map(String.init(describing:)) ?? "")")
        // The checkpoint left is step 4's, with finite weights; step 5 was logged (as null), not saved.
        let kept = try Checkpoint.load(RunFolder(folder).lastCheckpoint)
        #expect(kept.step == 4)
        #expect(kept.model.values.allSatisfy { $0.isFinite().all().item(Bool.self) })
        #expect(try loggedLosses(folder).last?.hasPrefix("train 5 ") == true)
    }

    @Test func weightsThatWentNaNBetweenLoggedStepsAreNeverCheckpointed() throws {
        let folder = temporaryFolder("run-nan-weights")
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = tinyConfig(folder)
        config.run.logEvery = 5  // losses are read at steps 5 and 6; checkpoints are written at 2 and 4
        let trainer = try ToyTrainer(initSeed: 1, lr: config.lr)
        let run = try TrainingRun(config: config)
        let error = #expect(throws: NonFiniteTrainingError.self) {
            try run.train(steps: 6, state: trainer.state, interrupt: TrainingInterrupt()) { step in
                let metrics = trainer.step(step, lossWeight: step == 2 ? .nan : 1)
                return run.logsThisStep ? metrics : [:]
            }
        }
        #expect(error?.step == 4 && error?.lastCheckpoint == 2, "\(error.map(String.init(describing:)) ?? "")")
        #expect(try Checkpoint.load(RunFolder(folder).lastCheckpoint).step == 2)
    }

    @Test func dataThatCannotBeMadeStopsTheRunWithTheLastStepSaved() throws {
        struct CorruptFile: Error, CustomStringConvertible { var description: String { "photos/broken.png: cannot be decoded" } }
        let folder = temporaryFolder("run-data-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = tinyConfig(folder)
        config.run.keepCheckpointEvery = 0  // no checkpoint is due before step 4
        let trainer = try ToyTrainer(initSeed: 1, lr: config.lr)
        let run = try TrainingRun(config: config)
        var weights: [Float] = []
        let error = #expect(throws: TrainingRunError.self) {
            try run.train(steps: 6, state: trainer.state, interrupt: TrainingInterrupt()) { step in
                _ = try run.batch { () throws -> Int in
                    if step == 2 { throw CorruptFile() }
                    return step
                }
                defer { weights = trainer.weights }
                return trainer.step(step)
            }
        }
        #expect(error?.description.contains("photos/broken.png") == true && error?.description.contains("holds step 2") == true)
        let saved = try Checkpoint.load(RunFolder(folder).lastCheckpoint)
        #expect(saved.step == 2)
        #expect(saved.model.sorted { $0.key < $1.key }.flatMap { $0.value.array(of: Float.self) } == weights)
    }

    @Test func skippingLeavesOutTheUpdatesOfNonFiniteSteps() throws {
        let folder = temporaryFolder("run-nan-skip")
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = tinyConfig(folder)
        config.run.nonFinite = "skip"
        let trainer = try ToyTrainer(initSeed: 1, lr: config.lr)
        let run = try TrainingRun(config: config)
        var before: [Float] = []
        try run.train(steps: 6, state: trainer.state, interrupt: TrainingInterrupt()) { step in
            if step == 3 { before = trainer.weights }
            let metrics = trainer.step(step, precision: run.precision, lossWeight: step == 3 ? .infinity : 1)
            if step == 3 { #expect(trainer.weights == before, "the skipped step moved the weights") }
            return metrics
        }
        #expect(run.precision.skippedSteps == 1)
        #expect(trainer.weights.allSatisfy { $0.isFinite })
        let records = try String(contentsOf: RunFolder(folder).metrics, encoding: .utf8).split(separator: "\n")
        #expect(records.last?.contains("\"skipped_steps\":1") == true)
    }

    @Test func metricsAreLoggedEveryLogEverySteps() throws {
        let folder = temporaryFolder("run-log-every")
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = tinyConfig(folder)
        config.run.logEvery = 4
        let run = try TrainingRun(config: config)
        #expect(run.logInterval == 4)
        let trainer = try ToyTrainer(initSeed: 1, lr: config.lr)
        var logged: [Int] = []
        try run.train(steps: 6, state: trainer.state, interrupt: TrainingInterrupt()) { step in
            let metrics = trainer.step(step)
            guard run.logsThisStep else { return [:] }
            logged.append(step + 1)
            return metrics
        }
        #expect(logged == [4, 6])  // every 4th step, and the last
        #expect(try loggedLosses(folder).map { $0.split(separator: " ")[1] } == ["4", "6"])
        #expect(!run.logsThisStep)  // outside a step
    }

    @Test func anFP16RunResumesWithItsLossScale() throws {
        let straightFolder = temporaryFolder("run-fp16-reference")
        let folder = temporaryFolder("run-fp16-resumed")
        defer {
            try? FileManager.default.removeItem(at: straightFolder)
            try? FileManager.default.removeItem(at: folder)
        }
        // Step index 1 overflows (an infinite loss): the scaler skips it and halves its scale, so a
        // resumed run that started the scale afresh would train with twice the straight run's.
        func weight(_ step: Int) -> Float { step == 1 ? .infinity : 1 }
        var reference = tinyConfig(straightFolder)
        reference.run.precision = "fp16"
        let straight = try ToyTrainer(initSeed: 1, lr: 0.05)
        let straightRun = try TrainingRun(config: reference)
        try straightRun.train(steps: 6, state: straight.state, interrupt: TrainingInterrupt()) {
            straight.step($0, precision: straightRun.precision, lossWeight: weight($0))
        }
        #expect(straightRun.precision.scaler!.scale.item(Float.self) == 32768)

        var config = tinyConfig(folder)
        config.run.precision = "fp16"
        let first = try ToyTrainer(initSeed: 1, lr: 0.05)
        let firstRun = try TrainingRun(config: config)
        let interrupt = TrainingInterrupt()
        _ = try firstRun.train(steps: 6, state: first.state, interrupt: interrupt) { step in
            if step == 2 { interrupt.request() }
            return first.step(step, precision: firstRun.precision, lossWeight: weight(step))
        }
        let second = try ToyTrainer(initSeed: 99, lr: 0.05)
        let resumed = try TrainingRun(config: config, resume: true)
        try resumed.train(steps: 6, state: second.state, interrupt: TrainingInterrupt()) {
            second.step($0, precision: resumed.precision, lossWeight: weight($0))
        }
        #expect(resumed.precision.scaler!.scale.item(Float.self) == 32768)
        #expect(second.weights == straight.weights)
    }

    /// The real path of Ctrl-C, in a child process: a process-directed SIGINT reaches the handler
    /// that `train` installs, and the loop stops after the current step with a checkpoint of it.
    @Test func sigintStopsTheLoopWithACheckpoint() async {
        await #expect(processExitsWith: .success) {
            let folder = temporaryFolder("run-sigint")
            defer { try? FileManager.default.removeItem(at: folder) }
            let trainer = try ToyTrainer(initSeed: 1, lr: 0.05)
            let outcome = try TrainingRun(config: tinyConfig(folder)).train(steps: 500, state: trainer.state) { step in
                if step == 1 { kill(getpid(), SIGINT) }
                usleep(5_000)
                return trainer.step(step)
            }
            guard case .interrupted(let step, SIGINT) = outcome, step < 500,
                try Checkpoint.load(RunFolder(folder).lastCheckpoint).step == step
            else { exit(3) }
        }
    }

    @Test func aRunWritesNothingThroughALinkOutOfItsFolder() throws {
        let folder = temporaryFolder("run-link")
        let outside = temporaryFolder("run-link-outside")
        defer { for url in [folder, outside] { try? FileManager.default.removeItem(at: url) } }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: RunFolder(folder).checkpoints, withDestinationURL: outside)
        let error = #expect(throws: TrainingRunError.self) { try TrainingRun(config: tinyConfig(folder)) }
        #expect(error?.description.contains("is a symbolic link") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test func aNewRunRefusesAFolderWithCheckpoints() throws {
        let folder = temporaryFolder("run-occupied")
        defer { try? FileManager.default.removeItem(at: folder) }
        let trainer = try ToyTrainer(initSeed: 1, lr: 0.05)
        try TrainingRun(config: tinyConfig(folder)).train(steps: 2, state: trainer.state, interrupt: TrainingInterrupt()) {
            trainer.step($0)
        }
        #expect(throws: TrainingRunError.self) { try TrainingRun(config: tinyConfig(folder)) }
    }

    @Test func resumeNeedsACheckpointAndTheSameTraining() throws {
        let folder = temporaryFolder("run-resume-checks")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TrainingRunError.self) { try TrainingRun(config: tinyConfig(folder), resume: true) }

        let trainer = try ToyTrainer(initSeed: 1, lr: 0.05)
        try TrainingRun(config: tinyConfig(folder)).train(steps: 2, state: trainer.state, interrupt: TrainingInterrupt()) {
            trainer.step($0)
        }
        var changed = tinyConfig(folder)
        changed.lr = 0.5
        // Allowed to change; the current count, because the setting is process-wide and tests in
        // parallel must not see it move under them.
        changed.run.threads = Engine.threadCount
        let error = #expect(throws: ConfigError.self) { try TrainingRun(config: changed, resume: true) }
        #expect(error?.problems.count == 1)
        #expect(error?.problems.first?.hasPrefix("lr: 0.05 → 0.5 (a resumed run must continue") == true)
    }

    @Test func restoringIntoAStateThatDoesNotFitListsEveryProblem() throws {
        let folder = temporaryFolder("run-misfit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let trainer = try ToyTrainer(initSeed: 1, lr: 0.05)
        try TrainingRun(config: tinyConfig(folder)).train(steps: 2, state: trainer.state, interrupt: TrainingInterrupt()) {
            trainer.step($0)
        }
        let other = try ToyTrainer(initSeed: 1, lr: 0.05)
        var misfit = other.state
        misfit.generators = ["augment": try Generator(seed: 0)]
        let run = try TrainingRun(config: tinyConfig(folder), resume: true)
        let error = #expect(throws: TrainingRunError.self) {
            try run.train(steps: 4, state: misfit, interrupt: TrainingInterrupt()) { other.step($0) }
        }
        #expect(error?.description.contains("no state for the random generator 'augment'") == true)
        #expect(error?.description.contains("random generator 'noise' that this trainer does not have") == true)
    }
}
