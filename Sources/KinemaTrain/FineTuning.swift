// Downstream action recognition: fine-tuning a (pretrained) backbone on labelled videos, the
// protocols by which MoSI (§4.2–4.4: full fine-tuning, frozen stages Fig. 6, few-shot Table 3) and
// VideoMAE/MME (§3.9: linear probing, layer-wise lr decay) measure a representation. Clips are
// decoded and augmented on background threads; step s trains on a slice of a seeded per-epoch
// permutation with per-clip seeded augmentation, so the data depends on the step alone and a
// resumed run equals an uninterrupted one. Validation tests one centre view per video while
// training; the final evaluation is the full K-clip × M-crop test with softmax fusion.
import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor
import KinemaVideo

/// What fine-tuning reports while it runs.
public enum FineTuneEvent {
    /// The datasets are read; `problems` are the rows skipped in either.
    case datasets(train: VideoDataset, test: VideoDataset, problems: [DatasetProblem])
    case started(
        trainingVideos: Int, classes: Int, parameters: Int, trainable: Int, steps: Int, pretrained: PretrainedWeights?,
        resumedAt: Int)
    case step(step: Int, total: Int, loss: Double, accuracy: Double, clipsPerSecond: Double)
    /// Training videos that failed to decode and were replaced by the next ones.
    case skippedTrainingVideos([String])
    case validated(step: Int, result: EvaluationResult)
    case evaluating(done: Int, total: Int)
    case evaluated(EvaluationResult)
}

/// The result of a fine-tuning run (`summary.json`).
public struct FineTuneSummary: Codable, Sendable {
    public var outcome: String
    public var steps: Int
    public var trainingVideos: Int
    public var classes: Int
    /// The pretrained checkpoint, or nil from scratch.
    public var pretrained: String?
    public var finalTrainLoss: Double
    /// The last single-view validation's top-1.
    public var validationTop1: Double?
    /// The final multi-view test (also in evaluation.json), when it ran.
    public var testTop1: Double?
    public var testTopK: Double?
    public var testMeanClassAccuracy: Double?
    public var chance: Double
    /// Fraction of training time the trainer waited for clips.
    public var dataWaitFraction: Double
    public var seconds: Double
}

public enum FineTuning {
    /// Fine-tunes (or, with `resume`, continues) a run in `config.run.output`; ends with the
    /// multi-view test when `config.evaluateAtEnd` and the run completes.
    public static func run(
        _ config: FineTuneConfig, resume: Bool = false, interrupt: TrainingInterrupt = .signals,
        report: (FineTuneEvent) -> Void = { _ in }
    ) throws -> FineTuneSummary {
        let started = Date()
        _ = try config.validated()
        var (train, test) = try config.data.datasets()
        report(.datasets(train: train, test: test, problems: train.problems + test.problems))
        if config.data.fewShot > 0 { train = try train.fewShot(config.data.fewShot, seed: config.run.seed) }
        let run = try TrainingRun(config: config, resume: resume)
        return try FineTuneTrainer(config: config, run: run, train: train, test: test)
            .train(interrupt: interrupt, started: started, resume: resume, report: report)
    }
}

/// One fine-tuning run's model, optimizer, data and loop.
private struct FineTuneTrainer {
    let config: FineTuneConfig
    let run: TrainingRun<FineTuneConfig>
    let train: VideoDataset
    let test: VideoDataset
    let input: ClipInput
    let loader: VideoClipLoader

    init(config: FineTuneConfig, run: TrainingRun<FineTuneConfig>, train: VideoDataset, test: VideoDataset) throws {
        (self.config, self.run, self.train, self.test) = (config, run, train, test)
        input = ClipInput(normalization: config.data.inputNormalization, device: run.device, channelsLast: config.model.channelsLast)
        loader = try config.data.loader()
    }

    func train(
        interrupt: TrainingInterrupt, started: Date, resume: Bool, report: (FineTuneEvent) -> Void
    ) throws -> FineTuneSummary {
        let (steps, warmup) = config.schedule(trainingVideos: train.count)
        let (model, pretrained) = try makeModel(loadPretrained: !resume)
        let optimizer = try makeOptimizer(model)
        let scheduler = LearningRateScheduler(
            try WarmupCosineSchedule(
                base: config.optim.learningRate, final: config.optim.finalLearningRate,
                warmupStart: config.optim.warmupStartLearningRate, warmupSteps: warmup, totalSteps: steps,
                convention: WarmupCosineSchedule.Convention(rawValue: config.optim.schedule) ?? .slowFast))
        let dropoutGenerator = try Generator(seed: config.run.seed &+ 2, device: run.device)
        var generators = ["dropout": dropoutGenerator]
        // A ViT's drop path draws from the generator its parameters were initialised with.
        if config.model.dropPath > 0, let dropPath = model.path.store.generator { generators["dropPath"] = dropPath }
        let state = TrainingState(
            model: model, optimizer: optimizer, generators: generators,
            modelDescription: "\(config.model.name) fine-tuned on \(train.classNames.count) classes")
        report(.started(
            trainingVideos: train.count, classes: train.classNames.count, parameters: model.parameterCount,
            trainable: model.trainableParameters().reduce(0) { $0 + $1.tensor.count }, steps: steps,
            pretrained: pretrained, resumedAt: run.step))

        // Data-parallel ranks each take their share of the step's videos (the batch size is global);
        // mixing pairs clips within a rank's share, as timm's Mixup does under PyTorch DDP.
        let distributed = run.distributed
        let prefetcher = try makePrefetcher(start: run.step, shard: distributed.shard)
        try distributed.prepare(model.path.store, samplesPerRank: config.data.batchSize / distributed.worldSize)
        defer { prefetcher.stop() }
        let mixing = config.data.mixing
        let classes = train.classNames.count
        let loopStart = Date()
        var lastLoss = Double.nan
        var validation: EvaluationResult?
        var throughput = Throughput()
        let outcome = try run.train(steps: steps, state: state, interrupt: interrupt) { step in
            let batch = try run.batch { try prefetcher.next() }
            if !batch.skipped.isEmpty { report(.skippedTrainingVideos(batch.skipped)) }
            var x = try input.tensor(batch.clips, threads: config.data.loaderThreads)
            for (n, erasure) in batch.erasures.enumerated() { try erasure.apply(to: x, clip: n) }
            let y = try Tensor(batch.labels.map(Int64.init)).staged(to: run.device)
            var targets: Tensor?
            if let mixing {
                var generator = SeededGenerator(seed: config.run.seed &+ 6, index: step)
                let mix = mixing.sample(width: config.data.cropSize, height: config.data.cropSize, using: &generator)
                let mixed = try mix.apply(to: x, labels: batch.labels, classes: classes, smoothing: config.data.labelSmoothing)
                (x, targets) = (mixed.clips, mixed.targets)
            }
            scheduler.apply(step: step, to: optimizer)
            optimizer.zeroGrad()
            try distributed.beforeForward(model.path.store)
            let (logits, loss) = run.precision.forward {
                let features =
                    config.model.linearProbe
                    ? model.pooled(withNoGrad { model.featureMap(x, mode: .eval) }) : model.features(x, mode: .train)
                let logits = model.head(features.dropout(p: config.model.dropout, training: true, generator: dropoutGenerator))
                let loss =
                    targets.map { logits.crossEntropy(probabilities: $0) }
                    ?? logits.crossEntropy(targets: y, labelSmoothing: config.data.labelSmoothing)
                return (logits, loss)
            }
            run.precision.backward(loss)
            try distributed.averageGradients(model.trainableParameters().map(\.tensor))
            run.precision.step(optimizer)
            throughput.add(batch.clips.count)
            let reading = ClassifierStepReading(run, loss: loss, logits: logits, labels: y)
            if let reading {
                lastLoss = reading.loss
                report(.step(step: step + 1, total: steps, loss: lastLoss, accuracy: reading.accuracy, clipsPerSecond: throughput.read()))
            }

            if (step + 1) % config.validateEvery == 0 || step + 1 == steps {
                let result = try evaluate(model, singleView: true)
                try record(result, split: "validation", step: step + 1)
                validation = result
                report(.validated(step: step + 1, result: result))
            }
            return reading?.metrics(lr: optimizer.learningRates.max() ?? 0) ?? [:]
        }
        let trainSeconds = Date().timeIntervalSince(loopStart)

        var final: EvaluationResult?
        if config.evaluateAtEnd, case .completed = outcome {
            let result = try evaluate(model, singleView: false) { report(.evaluating(done: $0, total: $1)) }
            try record(result, split: "test", step: run.step)
            if distributed.isWriter { try result.write(to: run.folder.url.appendingPathComponent("evaluation.json")) }
            report(.evaluated(result))
            final = result
        }
        let summary = FineTuneSummary(
            outcome: outcome.description, steps: run.step, trainingVideos: train.count, classes: classes,
            pretrained: pretrained?.checkpoint.path ?? (config.model.pretrained.isEmpty ? nil : config.model.pretrained),
            finalTrainLoss: lastLoss, validationTop1: validation?.top1,
            testTop1: final?.top1, testTopK: final?.topK, testMeanClassAccuracy: final?.meanClassAccuracy,
            chance: 1 / Double(classes),
            dataWaitFraction: trainSeconds > 0 ? prefetcher.waitSeconds / trainSeconds : 0,
            seconds: Date().timeIntervalSince(started))
        try run.writeSummary(summary)
        return summary
    }

    /// The backbone with a classifier for the dataset's classes, initialised from its own seeded
    /// generator, then (unless resuming, when the checkpoint restores everything) loaded from the
    /// pretrained run; frozen as the config says.
    private func makeModel(loadPretrained: Bool) throws -> (any Backbone, PretrainedWeights?) {
        let name = config.model.modelName!
        let width = config.model.resolvedWidth
        let store = ParameterStore(device: run.device, generator: try Generator(seed: config.run.seed &+ 4, device: run.device))
        let model = try name.make(
            store.root, classes: train.classNames.count, width: width, dropPath: config.model.dropPath,
            headInitScale: config.model.headInitScale, checkpointBlocks: config.model.checkpointBlocks)
        var pretrained: PretrainedWeights?
        if loadPretrained, !config.model.pretrained.isEmpty {
            pretrained = try model.loadPretrained(
                from: URL(fileURLWithPath: config.model.pretrained), name: name, width: width,
                normalization: config.data.inputNormalization, device: run.device)
        }
        if config.model.channelsLast { model.useChannelsLast() }
        if config.model.linearProbe {
            model.freeze()
            for path in config.model.freezeClassifierNorm ? [model.head.path] : model.classifierPaths { path.unfreeze() }
        } else {
            try model.freeze(firstStages: config.model.freezeStages)
        }
        return (model, pretrained)
    }

    /// The configured optimizer over the trainable parameters: no weight decay on biases and
    /// normalisation parameters, and with layer-wise decay d a parameter of layer i gets
    /// `d^(L − 1 − i)` of the rate (BEiT/VideoMAE).
    private func makeOptimizer(_ model: any Backbone) throws -> any Optimizer {
        let optim = config.optim
        let top = model.layerCount - 1
        let scale = { (name: String) in pow(optim.layerDecay, Double(top - (model.layerID(of: name) ?? top))) }
        let named = model.trainableParameters()
        switch optim.optimizer {
        case "sgd":
            let options = SGDOptions(learningRate: optim.learningRate, momentum: optim.momentum, weightDecay: optim.weightDecay)
            return try SGD(groups: ParameterGroup.grouping(named, options: options, learningRateScale: scale))
        case "adamw":
            let options = AdamOptions(learningRate: optim.learningRate, weightDecay: optim.weightDecay)
            return try AdamW(groups: ParameterGroup.grouping(named, options: options, learningRateScale: scale))
        default:
            let options = AdamOptions(learningRate: optim.learningRate, weightDecay: optim.weightDecay)
            return try Adam(groups: ParameterGroup.grouping(named, options: options, learningRateScale: scale))
        }
    }

    /// Decodes the batches of steps `start`, `start + 1`, … ahead of the trainer (``FineTuneBatchMaker``).
    private func makePrefetcher(start: Int, shard: BatchShard) throws -> Prefetcher<FineTuneBatch> {
        let maker = try FineTuneBatchMaker(config: config, train: train, loader: loader, shard: shard)
        return Prefetcher<FineTuneBatch>(workers: config.run.dataWorkers, start: start) { step in try maker.batch(step: step) }
    }

    /// The multi-view test (`singleView`: the centre clip and crop of `validationVideos` videos).
    private func evaluate(
        _ model: any Backbone, singleView: Bool, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> EvaluationResult {
        let videos = singleView ? Evaluation.evenlySpread(config.data.validationVideos, of: test.count) : nil
        return try Evaluation.run(
            model, on: test, videos: videos, loader: singleView ? try config.data.loader(singleView: true) : loader, input: input,
            clipsPerBatch: config.data.batchSize, threads: config.data.loaderThreads, progress: progress)
    }

    /// Logs the result's scalars and its confusion record under `split`.
    private func record(_ result: EvaluationResult, split: String, step: Int) throws {
        try run.log(result.scalars, split: split, step: step)
        try run.metrics.write(result.confusionRecord(split: split, step: step))
    }
}
