import Foundation
import KinemaOptim
import KinemaTensor

/// The bookkeeping of a training run, so that a trainer's loop body is just "get batch, step,
/// return metrics": the run folder (``RunFolder``: resolved config, provenance, metrics,
/// TensorBoard, checkpoints), engine settings (seed, threads, device), atomic checkpoints every
/// ``RunSettings/checkpointEvery`` steps, a clean stop on Ctrl-C/SIGTERM, and exact resume.
///
/// ```swift
/// let config = try MoSIConfig.resolve(sources)                  // from RunOptions in the CLI
/// let run = try TrainingRun(config: config, resume: sources.resume)
/// let model = try makeModel(config.model, device: run.device)
/// let optimizer = try AdamW(groups: …)
/// let state = TrainingState(model: model, optimizer: optimizer, modelDescription: "…")
/// let outcome = try run.train(steps: config.steps, state: state) { step in
///     let (clips, labels) = try loader.batch(step)              // step-indexed sampling
///     scheduler.apply(step: step, to: optimizer)
///     optimizer.zeroGrad()
///     let loss = model(clips, mode: .train).crossEntropy(targets: labels)
///     loss.backward()
///     optimizer.step()
///     return ["loss": loss.item(Double.self)]                    // → metrics.jsonl, TensorBoard
/// }
/// print(outcome)   // "interrupted after step 1200; …" or "finished 5000 steps"
/// ```
///
/// Steps are counted as in the checkpoints: after the body for step index `i` (0-based) has run,
/// `i + 1` steps are complete, and that is the step its metrics are logged at. A resumed run
/// starts at the checkpoint's step, with the model, optimizer and generators restored and the
/// metrics/TensorBoard logs cut back to it, so it continues exactly where it stopped.
public final class TrainingRun<Config: RunConfig> {
    public let config: Config
    public let folder: RunFolder
    /// The device the config names (checked to exist).
    public let device: Device
    /// The data-parallel processes this run is one of (``DataParallel/single`` when it runs
    /// alone). Only rank 0 writes the run folder; every rank reads a resumed run's checkpoint.
    public let distributed: DataParallel
    /// `run.precision`: how a step's forward, backward and update are computed (autocast, loss scaling).
    public let precision: MixedPrecision
    /// The step of the newest checkpoint this run wrote, or resumed from (nil before the first).
    public private(set) var checkpointedStep: Int?
    /// The state ``train(steps:state:interrupt:body:)`` is training, while it runs.
    private var training: TrainingState?
    /// metrics.jsonl.
    public let metrics: MetricsLog
    /// The TensorBoard writer, when ``RunSettings/tensorBoard`` is on.
    public let tensorBoard: TensorBoardWriter?
    /// Steps completed: 0 for a new run, the checkpoint's step after a resume, then counting.
    public private(set) var step: Int
    /// The checkpoint a resumed run restores in ``train(steps:state:interrupt:body:)``.
    private var resumeFrom: (checkpoint: Checkpoint, url: URL)?
    /// The step that metrics logged now belong to (during a body: the step being completed).
    private var loggingStep: Int?
    /// The number of steps of the loop that runs now.
    private var loopSteps = 0

    /// Steps between logged training metrics (``RunSettings/logEvery``, resolved for the device).
    public var logInterval: Int { config.run.logEvery > 0 ? config.run.logEvery : (device.kind == .cuda ? 25 : 1) }

    /// Inside a body of ``train(steps:state:interrupt:body:)``: whether this step's metrics are
    /// logged (every ``logInterval``-th step and the last). A body reads its loss and other numbers
    /// from the device only then, and returns no metrics otherwise, so a GPU is not made to wait
    /// for the host every step.
    public var logsThisStep: Bool {
        guard let at = loggingStep else { return false }
        return at % logInterval == 0 || at == loopSteps
    }

    /// Opens the run folder `config.run.output`: a new run there (refusing a folder that already
    /// holds checkpoints, so no work is overwritten), or with `resume`, the continuation of the
    /// run whose latest checkpoint is there (refusing a config that changes more than
    /// ``RunConfig/keysChangeableOnResume``). Writes config.yaml and provenance, seeds libtorch
    /// with the run seed and sets its thread count. Under a launcher (`kinema launch`, torchrun)
    /// it first joins the other processes (``DataParallel/joining(_:device:environment:)``).
    public init(config: Config, resume: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.config = try config.validated()
        folder = RunFolder(URL(fileURLWithPath: config.run.output))
        device = try Self.availableDevice(DistributedEnvironment.device(config.run.device, environment: environment))
        // validated() has checked the spelling.
        precision = MixedPrecision(
            Precision(rawValue: config.run.precision) ?? .fp32, device: device, skipsNonFiniteSteps: config.run.nonFinite == "skip")
        if config.run.threads > 0 { Engine.threadCount = config.run.threads }
        Engine.seed(config.run.seed)
        distributed = try DataParallel.joining(config.run, device: device, environment: environment)
        let writes = distributed.isWriter
        if writes { try folder.checkNoLinksOut() }

        if resume {
            guard let url = folder.latestCheckpoint() else {
                throw TrainingRunError("--resume: \(folder.url.path) holds no checkpoint (checkpoints/last.safetensors) to resume from")
            }
            try Self.checkCompatible(config, withSavedConfigIn: folder)
            let checkpoint = try Checkpoint.load(url)
            resumeFrom = (checkpoint, url)
            step = checkpoint.step
            checkpointedStep = checkpoint.step
            guard writes else {
                (metrics, tensorBoard) = (try MetricsLog.discarding(), nil)
                return
            }
            metrics = try MetricsLog.continuing(folder.metrics, afterStep: checkpoint.step)
            tensorBoard = config.run.tensorBoard ? try TensorBoardWriter(folder: folder.tensorBoard, purgeFrom: checkpoint.step + 1) : nil
            try RunProvenance.writeJSON(RunProvenance.current(device: device), to: folder.resumeProvenance(step: checkpoint.step))
        } else {
            step = 0
            guard writes else {
                (metrics, tensorBoard) = (try MetricsLog.discarding(), nil)
                return
            }
            if let existing = folder.latestCheckpoint() {
                throw TrainingRunError(
                    "\(folder.url.path) already holds a run (\(existing.lastPathComponent)); resume it with --resume "
                        + "or choose another --output")
            }
            try FileManager.default.createDirectory(at: folder.checkpoints, withIntermediateDirectories: true)
            metrics = try MetricsLog(folder.metrics)
            tensorBoard = config.run.tensorBoard ? try TensorBoardWriter(folder: folder.tensorBoard) : nil
            try RunProvenance.writeJSON(RunProvenance.current(device: device), to: folder.provenance)
        }
        try config.write(to: folder.config)
    }

    /// Runs the loop until `steps` steps are complete or a stop is requested: `body(step)` does
    /// step index `step` (0-based, counting from the resumed step) and returns the metrics to log
    /// under "train". Before the first step a resumed run restores `state` from its checkpoint.
    ///
    /// Checkpoints (checkpoints/last.safetensors, atomically) are written every
    /// ``RunSettings/checkpointEvery`` steps (kept ones every ``RunSettings/keepCheckpointEvery``),
    /// at the end, and when `interrupt` is requested, which is polled before every step. With the
    /// default ``TrainingInterrupt/signals`` the SIGINT and SIGTERM handlers are installed for the
    /// duration of the loop. An error thrown by `body` ends the loop without a checkpoint (the
    /// step may be half done); the last one stays.
    @discardableResult
    public func train(
        steps: Int, state: TrainingState, interrupt: TrainingInterrupt = .signals, body: (_ step: Int) throws -> [String: Double]
    ) throws -> TrainingOutcome {
        if let resume = resumeFrom {
            try state.restore(from: resume.checkpoint, source: resume.url, scaler: precision.scaler)
            resumeFrom = nil
        }
        state.optimizer.fused = config.run.fusesOptimizer(on: device)
        loopSteps = steps
        training = state
        if interrupt === TrainingInterrupt.signals { TrainingInterrupt.installSignalHandlers() }
        defer {
            if interrupt === TrainingInterrupt.signals { TrainingInterrupt.uninstallSignalHandlers() }
            loggingStep = nil
            training = nil
        }

        while step < steps {
            if try distributed.anyRequests(interrupt.isRequested) {
                if checkpointedStep != step { try saveCheckpoint(state) }
                return .interrupted(step: step, signal: interrupt.signal)
            }
            loggingStep = step + 1
            var values = try body(step)
            if precision.skipsNonFiniteSteps, !values.isEmpty { values["skipped_steps"] = Double(precision.skippedSteps) }
            step += 1
            let logged = try distributed.mean(values)
            try log(logged)
            loggingStep = nil
            try stopIfNotFinite(logged)
            if step % config.run.checkpointEvery == 0 || isKeptStep(step) || step == steps {
                try saveCheckpoint(state)
            }
        }
        return .completed(step: step)
    }

    /// The data of the step about to run, from `fetch` (a trainer's first act in a step). When the
    /// data cannot be made (a corrupt file, a video that went missing), the model is still the last
    /// completed step's, so it is checkpointed before the error goes up: fixing the file and
    /// `--resume` lose no work.
    public func batch<Batch>(_ fetch: () throws -> Batch) throws -> Batch {
        do {
            return try fetch()
        } catch {
            guard let training, step > 0 else { throw error }
            if checkpointedStep != step { try saveCheckpoint(training) }
            throw TrainingRunError(
                "\(error)\nthe run stopped before step \(step + 1); checkpoints/last.safetensors holds step \(step): "
                    + "fix or remove the file, then continue with --resume")
        }
    }

    /// Logs `values` under `split` ("train/loss" in TensorBoard, `"split": "train"` in
    /// metrics.jsonl) at `step`, by default the step being completed (inside a body) or the last
    /// completed one.
    public func log(_ values: [String: Double], split: String = "train", step: Int? = nil) throws {
        guard !values.isEmpty, distributed.isWriter else { return }
        let at = step ?? loggingStep ?? self.step
        var record: [String: any Sendable] = ["split": split, "step": at]
        for (name, value) in values { record[name] = value }
        try metrics.write(record)
        try tensorBoard?.add(
            scalars: Dictionary(uniqueKeysWithValues: values.map { ("\(split)/\($0.key)", $0.value) }), step: at)
    }

    /// Writes checkpoints/last.safetensors for the current step (and a kept copy when the step is
    /// a multiple of ``RunSettings/keepCheckpointEvery``, which ``train(steps:state:interrupt:body:)``
    /// saves at too). The checkpoint's metadata holds the
    /// resolved config as JSON, so it describes itself.
    public func saveCheckpoint(_ state: TrainingState) throws {
        guard distributed.isWriter else { return }
        // A checkpoint is a state to go back to: never one with inf/NaN weights (they can arise at a
        // step whose loss was not logged).
        if let broken = state.nonFiniteParameter() {
            throw NonFiniteTrainingError(
                step: step, what: "parameter \(broken)", value: "not finite", lastCheckpoint: checkpointedStep, precision: precision.precision)
        }
        let checkpoint = try state.checkpoint(step: step, metadata: ["config": try config.json()], scaler: precision.scaler)
        try checkpoint.save(to: folder.lastCheckpoint)
        if isKeptStep(step) {
            // Copy to a temporary name, then rename: a kept checkpoint is whole or absent.
            let kept = folder.checkpoint(step: step)
            let temporary = kept.appendingPathExtension("partial")
            let fileManager = FileManager.default
            try? fileManager.removeItem(at: temporary)
            try fileManager.copyItem(at: folder.lastCheckpoint, to: temporary)
            try? fileManager.removeItem(at: kept)
            try fileManager.moveItem(at: temporary, to: kept)
        }
        checkpointedStep = step
    }

    /// With `run.nonFinite: stop`, outside fp16 (whose scaler skips such steps by design): throws at
    /// the first logged loss that is inf or NaN, before a checkpoint of this step is written.
    private func stopIfNotFinite(_ logged: [String: Double]) throws {
        guard config.run.nonFinite == "stop", precision.scaler == nil,
            let (name, value) = logged.filter({ $0.key.contains("loss") && !$0.value.isFinite }).min(by: { $0.key < $1.key })
        else { return }
        throw NonFiniteTrainingError(
            step: step, what: "the training \(name)", value: "\(value)", lastCheckpoint: checkpointedStep, precision: precision.precision)
    }

    /// Writes summary.json, the run's outcome, in the run folder (rank 0 only, like everything in it).
    public func writeSummary(_ summary: some Encodable) throws {
        guard distributed.isWriter else { return }
        try RunProvenance.writeJSON(summary, to: folder.url.appendingPathComponent("summary.json"))
    }

    private func isKeptStep(_ step: Int) -> Bool {
        config.run.keepCheckpointEvery > 0 && step % config.run.keepCheckpointEvery == 0
    }

    /// The device `setting` names (validated), after checking that it exists here.
    private static func availableDevice(_ setting: String) throws -> Device {
        guard let device = Device(parsing: setting) else {
            throw ConfigError(problems: ["run.device: '\(setting)' is not cpu, cuda or cuda:N"])
        }
        if device.kind == .cuda {
            let count = Device.cudaDeviceCount
            guard device.index < count else {
                throw ConfigError(problems: [
                    count == 0
                        ? "run.device: \(device) asked for, but no CUDA device is usable here (use --device cpu; "
                            + (Engine.cudaLoadProblem == nil
                                ? "libtorch's CUDA library is loaded but sees no GPU: check nvidia-smi)"
                                : "libtorch's CUDA library could not be loaded: `kinema info --cuda` says why, docs/scaling.md how to set it up)")
                        : "run.device: \(device) asked for, but only \(count) CUDA device(s) exist (cuda:0…cuda:\(count - 1))"
                ])
            }
        }
        return device
    }

    /// Throws when `config` changes keys of the saved config.yaml that a resume may not change.
    private static func checkCompatible(_ config: Config, withSavedConfigIn folder: RunFolder) throws {
        guard FileManager.default.fileExists(atPath: folder.config.path) else {
            throw TrainingRunError("--resume: \(folder.url.path) has checkpoints but no config.yaml to check the config against")
        }
        let saved = try Config.resolve(layers: [try Config.readLayer(folder.config)])
        let forbidden = try config.changesForbiddenOnResume(from: saved)
        guard forbidden.isEmpty else {
            throw ConfigError(
                problems: forbidden.map { "\($0) (a resumed run must continue the same training; start a new run to change it)" })
        }
    }
}

/// How ``TrainingRun/train(steps:state:interrupt:body:)`` ended.
public enum TrainingOutcome: Equatable, Sendable, CustomStringConvertible {
    /// All steps are done (`step` is the total).
    case completed(step: Int)
    /// A stop was requested; the checkpoint of `step` is saved. `signal` is the signal that asked.
    case interrupted(step: Int, signal: Int32?)

    public var description: String {
        switch self {
        case .completed(let step): "finished \(step) steps"
        case .interrupted(let step, _): "interrupted after step \(step); the checkpoint is saved: continue with --resume"
        }
    }
}

/// A run folder that cannot be started or resumed, and why.
public struct TrainingRunError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
