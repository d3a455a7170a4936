// MoSI pretraining: Huang et al., "Self-supervised Motion Learning from Static Images", CVPR 2021.
// A backbone classifies the direction and speed of pseudo motions rendered from still images
// (§3.1, Eq. 1–3), with a dropout-then-linear head (§3.1 and Appendix A, official `MoSIHeadJoint`) and plain
// cross-entropy. The default recipe is the paper's / official one (MoSI Appendix A;
// docs/reference-implementations.md §1.8): Adam,
// lr 1e-3, L2 weight decay 1e-4 (none on BatchNorm and bias), linear warm-up then half-cosine,
// dropout 0.5. The length is given in steps (short CPU runs get a clear length) or, as the paper's,
// in epochs: real passes over the training images (docs/reference-implementations.md §1.8, NUM_FOLDS).
import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaPretext
import KinemaTensor
import KinemaVideo

/// The backbone and its pretext head.
public struct MoSIModelSettings: ConfigSection, Equatable {
    /// A registry name (`kinema list-models`): r2plus1d_10 and r2d3d_18 are the paper's.
    public var name = ModelName.r2plus1d10.rawValue
    /// Channel width; 0 keeps the registry's.
    public var width = 0
    /// Dropout before the linear head (official `DROPOUT_RATE`).
    public var dropout = 0.5
    /// Lay activations and weights out channels-last (faster oneDNN convolutions on CPUs).
    public var channelsLast = true

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(ModelName(rawValue: name) != nil, "name",
            "unknown model '\(name)'; known: \(ModelName.allCases.map(\.rawValue).joined(separator: ", "))")
        problems.check(width >= 0, "width", "must be ≥ 0 (0: the registry's), got \(width)")
        problems.check((0..<1).contains(dropout), "dropout", "must be in [0, 1), got \(dropout)")
    }
}

/// The pseudo-motion generator (MoSI §3.1–3.2; defaults from docs/reference-implementations.md §1.2–1.6).
public struct MoSIGeneratorSettings: ConfigSection, Equatable {
    /// K: speeds per direction (the paper's default 2 gives 4K + 1 = 9 decoupled classes).
    public var speedsPerDirection = 2
    /// "decoupled" (motion on one axis at a time, the paper's default: 4K + 1 classes), "coupled"
    /// (every (x, y) pair), or one axis only: "horizontal" (MoSI-x) or "vertical" (MoSI-y), 2K + 1
    /// classes each (MoSI §4, Fig. 6).
    public var motions = "decoupled"
    /// N: frames per clip.
    public var frames = 16
    /// L: the square window and output size.
    public var cropSize = 112
    /// Ls: the source's short side after standardisation.
    public var standardSize = 320
    /// The static mask (Eq. 3): "random" (side ratio drawn in maskRatio), "fixed" (maskRatio's
    /// lower bound) or "none".
    public var mask = "random"
    public var maskRatio = [0.3, 0.5]
    /// `[startRatio, steps]`: the moving area's side ratio starts at startRatio (1: the whole
    /// frame) and shrinks linearly to maskRatio over the first `steps` training steps, then stays
    /// (a Kinema addition for short CPU runs; validation always uses maskRatio). `[]`: none.
    public var maskCurriculum: [Double] = []
    /// "motion" (MoSI) or "random": the label-noise control, each training clip's label drawn
    /// uniformly over the classes independently of its motion. Validation keeps the motion labels,
    /// so the control's validation accuracy measures what it learned of motion: chance.
    public var labels = "motion"
    /// "paper": frame-wise colour jitter and grayscale (the paper's and the original code's);
    /// "head": grayscale only, as the official repository's HEAD runs (docs/reference-implementations.md §0 item 2);
    /// "none".
    public var colorJitter = "paper"
    /// "none" (default), "swap" (flip and mirror the x label) or "official" (flip, keep the label:
    /// caps the pretext accuracy at 7/9, docs/reference-implementations.md §0 item 1).
    public var flip = "none"

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        let motionNames = MoSILabelPool.Motions.allCases.map(\.rawValue)
        problems.check(
            MoSILabelPool.Motions(rawValue: motions) != nil, "motions",
            "must be one of \(motionNames.joined(separator: ", ")), got '\(motions)'")
        problems.check(["random", "fixed", "none"].contains(mask), "mask", "must be random, fixed or none, got '\(mask)'")
        problems.check(["none", "swap", "official"].contains(flip), "flip", "must be none, swap or official, got '\(flip)'")
        problems.check(["paper", "head", "none"].contains(colorJitter), "colorJitter", "must be paper, head or none, got '\(colorJitter)'")
        problems.check(maskRatio.count == 2 && maskRatio[0] <= maskRatio[1], "maskRatio", "must be [low, high], got \(maskRatio)")
        problems.check(
            MoSILabels(rawValue: labels) != nil, "labels",
            "must be one of \(MoSILabels.allCases.map(\.rawValue).joined(separator: ", ")), got '\(labels)'")
        if let why = curriculumProblem {
            problems.add("maskCurriculum", why)
            return
        }
        do {
            _ = try generatorConfig(split: .train)
        } catch {
            problems.add("", "\(error)")
        }
    }

    /// Why `maskCurriculum` cannot be read, nil when it can.
    private var curriculumProblem: String? {
        maskCurriculum.isEmpty || (maskCurriculum.count == 2 && Int(exactly: maskCurriculum[1]) != nil)
            ? nil : "must be [] or [startRatio, steps] with a whole number of steps, got \(maskCurriculum)"
    }

    /// `maskCurriculum` as a curriculum, nil for `[]`.
    private func curriculum() throws(MoSIError) -> MoSIMaskCurriculum? {
        if let why = curriculumProblem { throw MoSIError("maskCurriculum \(why)") }
        guard maskCurriculum.count == 2, let steps = Int(exactly: maskCurriculum[1]) else { return nil }
        return MoSIMaskCurriculum(startRatio: maskCurriculum[0], steps: steps)
    }

    /// The generator's settings for `split`: the mask curriculum and label noise are training's only.
    public func generatorConfig(split: MoSISplit) throws -> MoSIConfig {
        let pool = try MoSILabelPool(
            speedsPerDirection: speedsPerDirection, motions: MoSILabelPool.Motions(rawValue: motions) ?? .decoupled)
        let staticMask: MoSIStaticMask =
            switch mask {
            case "none": .none
            case "fixed": .fixedRatio(maskRatio.first ?? 0.5)
            default: .randomRatio((maskRatio.first ?? 0.3)...(maskRatio.last ?? 0.5))
            }
        let flipPolicy: MoSIFlipPolicy = flip == "swap" ? .flipWithLabelSwap : flip == "official" ? .officialNoSwap : .none
        let jitter: MoSIColorJitter = colorJitter == "head" ? .tadaconvHead : colorJitter == "none" ? .none : .paper
        let training = split == .train
        let config = MoSIConfig(
            labelPool: pool, frameCount: frames, cropSize: cropSize, standardSize: standardSize, split: split,
            staticMask: staticMask, maskCurriculum: training ? try curriculum() : nil, colorJitter: jitter, flip: flipPolicy,
            labels: training ? MoSILabels(rawValue: labels) ?? .motion : .motion)
        try config.validate()
        return config
    }
}

/// Adam with L2 weight decay and a warm-up cosine schedule (MoSI Appendix A; docs/reference-implementations.md §1.8).
public struct MoSIOptimSettings: ConfigSection, Equatable {
    public var learningRate = 1e-3
    public var weightDecay = 1e-4
    /// Linear warm-up steps, from `warmupStartLearningRate` to the cosine's value; or, when
    /// `warmupEpochs` is positive, epochs (only with an `epochs`-long run; the paper's: 10 of 100).
    public var warmupSteps = 100
    public var warmupEpochs = 0.0
    public var warmupStartLearningRate = 1e-4

    public init() {}

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(learningRate > 0, "learningRate", "must be positive, got \(learningRate)")
        problems.check(weightDecay >= 0, "weightDecay", "must be ≥ 0, got \(weightDecay)")
        problems.check(warmupSteps >= 0, "warmupSteps", "must be ≥ 0, got \(warmupSteps)")
        problems.check(warmupEpochs >= 0, "warmupEpochs", "must be ≥ 0, got \(warmupEpochs)")
    }
}

/// `kinema mosi pretrain`'s configuration (configs/mosi/*.yaml).
public struct MoSIPretrainConfig: RunConfig, Equatable {
    public var run = RunSettings()
    public var data = MoSIDataSettings()
    public var model = MoSIModelSettings()
    public var generator = MoSIGeneratorSettings()
    public var optim = MoSIOptimSettings()
    /// Training steps; set 0 and give `epochs` to count passes over the training images instead.
    public var steps = 2000
    /// Passes over the training images or videos (0: use `steps`); one epoch is
    /// ⌈images / imagesPerStep⌉ steps and takes every training image (one frame of every video) once.
    public var epochs = 0
    /// Steps between validations (per-class accuracy and a confusion matrix on held-out images).
    public var validateEvery = 200

    public init() {
        run.output = "runs/mosi"
    }

    public func validate(_ problems: inout ConfigProblems) {
        problems.validate(data, at: "data")
        problems.validate(model, at: "model")
        problems.validate(generator, at: "generator")
        problems.validate(optim, at: "optim")
        length.validate(&problems)
        problems.check(validateEvery > 0, "validateEvery", "must be positive, got \(validateEvery)")
        let clip = ClipShape(frames: generator.frames, height: generator.cropSize, width: generator.cropSize)
        if let problem = ModelName(rawValue: model.name)?.problem(with: clip) {
            problems.add("generator.cropSize", "\(problem) (model \(model.name); set generator.frames and generator.cropSize to fit)")
        }
    }

    /// Steps in one pass over `trainingImages` images.
    public func stepsPerEpoch(trainingImages: Int) -> Int {
        TrainingOrder.stepsPerEpoch(batch: min(data.imagesPerStep, max(trainingImages, 1)), count: max(trainingImages, 1))
    }

    private var length: TrainingLength {
        TrainingLength(steps: steps, epochs: epochs, warmupSteps: optim.warmupSteps, warmupEpochs: optim.warmupEpochs)
    }

    /// The run's length in steps and its warm-up, for `trainingImages` training images.
    public func schedule(trainingImages: Int) -> (steps: Int, warmup: Int) {
        length.schedule(perEpoch: stepsPerEpoch(trainingImages: trainingImages))
    }
}

/// What MoSI pretraining reports while it runs.
public enum MoSIEvent {
    /// Rows of the dataset's training list that were skipped as unusable (a `data.format` only).
    case skippedRows([DatasetProblem])
    case started(images: Int, validationImages: Int, classes: Int, parameters: Int, steps: Int, resumedAt: Int)
    case step(step: Int, total: Int, loss: Double, accuracy: Double, clipsPerSecond: Double)
    case validated(step: Int, accuracy: Double, perClass: [Double])
}

/// The result of a pretraining run.
public struct MoSISummary: Codable, Sendable {
    public var outcome: String
    public var steps: Int
    public var finalTrainLoss: Double
    public var validationAccuracy: Double
    public var validationAccuracyPerClass: [Double]
    public var classes: [String]
    public var chance: Double
    /// Fraction of training time the trainer waited for the generator.
    public var dataWaitFraction: Double
    /// Fraction of training time spent in data-parallel collectives (0 for one process).
    public var communicationFraction: Double
    public var seconds: Double
}

public enum MoSIPretraining {
    /// Trains (or, with `resume`, continues) a MoSI run in `config.run.output`.
    public static func run(
        _ config: MoSIPretrainConfig, resume: Bool = false, interrupt: TrainingInterrupt = .signals,
        report: (MoSIEvent) -> Void = { _ in }
    ) throws -> MoSISummary {
        let started = Date()
        let run = try TrainingRun(config: config, resume: resume)
        let (training, validation, skipped) = try config.data.sources()
        if !skipped.isEmpty { report(.skippedRows(skipped)) }
        return try train(
            config, run: run, training: training, validation: validation, started: started, interrupt: interrupt, report: report)
    }

    private static func train(
        _ config: MoSIPretrainConfig, run: TrainingRun<MoSIPretrainConfig>, training: some StillImageSource,
        validation: some StillImageSource, started: Date, interrupt: TrainingInterrupt, report: (MoSIEvent) -> Void
    ) throws -> MoSISummary {
        let (steps, warmup) = config.schedule(trainingImages: training.count)
        let normalization = config.data.inputNormalization
        let trainConfig = try config.generator.generatorConfig(split: .train)
        let classes = trainConfig.labelPool.speeds
        let generator = try MoSIGenerator(trainConfig, seed: config.run.seed, threads: config.data.generatorThreads)
        let validationGenerator = try MoSIGenerator(
            try config.generator.generatorConfig(split: .validation), seed: config.run.seed &+ 1,
            threads: config.data.generatorThreads)

        // Initialisation draws from its own seeded generator, not libtorch's global one, so a run
        // is the same whatever else the process does (other runs, tests in parallel).
        let store = ParameterStore(device: run.device, generator: try Generator(seed: config.run.seed &+ 4, device: run.device))
        let name = ModelName(rawValue: config.model.name)!
        let model = try name.make(store.root, classes: classes.count, width: config.model.width == 0 ? nil : config.model.width)
        if config.model.channelsLast { model.useChannelsLast() }
        let dropoutGenerator = try Generator(seed: config.run.seed &+ 2, device: run.device)
        // No weight decay on BatchNorm and bias parameters (official `BN_WEIGHT_DECAY: 0`).
        let noDecay = model.noWeightDecayNames
        let parameters = model.trainableParameters()
        let adam = AdamOptions(learningRate: config.optim.learningRate, weightDecay: config.optim.weightDecay)
        var noDecayOptions = adam
        noDecayOptions.weightDecay = 0
        let optimizer = try Adam(groups: [
            ParameterGroup(named: parameters.filter { !noDecay.contains($0.name) }, options: adam),
            ParameterGroup(named: parameters.filter { noDecay.contains($0.name) }, options: noDecayOptions),
        ].filter { !$0.parameters.isEmpty })
        let scheduler = LearningRateScheduler(
            try WarmupCosineSchedule(
                base: config.optim.learningRate, warmupStart: config.optim.warmupStartLearningRate,
                warmupSteps: warmup, totalSteps: steps,
                convention: .slowFast))
        let state = TrainingState(
            model: model, optimizer: optimizer, generators: ["dropout": dropoutGenerator],
            modelDescription: "\(name.rawValue) MoSI pretext, \(classes.count) classes \(classes)")
        report(.started(
            images: training.count, validationImages: validation.count, classes: classes.count,
            parameters: model.parameterCount, steps: steps, resumedAt: run.step))

        // Each epoch takes every training image once, in a seeded per-epoch order, and a video's
        // frame is drawn from the stream of (epoch, image): the data depends on the step alone, so
        // a resumed run sees what an uninterrupted one would have, and every epoch draws anew.
        // Data-parallel ranks each take their share of the step's images (the same draws).
        let imagesPerStep = min(config.data.imagesPerStep, training.count)
        let seed = config.run.seed
        let distributed = run.distributed
        let shard = distributed.shard
        _ = try shard.of(Array(0..<imagesPerStep))
        if training.count % imagesPerStep > 0 { _ = try shard.of(Array(0..<(training.count % imagesPerStep))) }  // an epoch's last
        try distributed.prepare(store, samplesPerRank: imagesPerStep / distributed.worldSize * classes.count)
        let prefetcher = Prefetcher<MoSIBatch>(workers: config.run.dataWorkers, start: run.step) { step in
            let (indices, epoch) = TrainingOrder.epochs(step: step, batch: imagesPerStep, count: training.count, seed: seed)
            return try generator.atStep(step).batch(from: training, indices: try shard.of(indices), epoch: epoch)
        }
        defer { prefetcher.stop() }

        let loopStart = Date()
        var lastLoss = Double.nan
        var lastValidation: (accuracy: Double, perClass: [Double]) = (0, [])
        var throughput = Throughput()
        let outcome = try run.train(steps: steps, state: state, interrupt: interrupt) { step in
            let batch = try run.batch { try prefetcher.next() }
            let (clips, labels) = batch.tensors(normalization)
            let x = try prepare(clips, config, run.device)
            let y = try labels.staged(to: run.device)
            scheduler.apply(step: step, to: optimizer)
            optimizer.zeroGrad()
            try distributed.beforeForward(store)
            let (logits, loss) = run.precision.forward {
                let features = model.features(x, mode: .train)
                let logits = model.head(features.dropout(p: config.model.dropout, training: true, generator: dropoutGenerator))
                return (logits, logits.crossEntropy(targets: y))
            }
            run.precision.backward(loss)
            if distributed.worldSize > 1 {
                // An epoch's last batch may split unevenly: each rank's gradient weighs its share.
                let global = TrainingOrder.epochs(step: step, batch: imagesPerStep, count: training.count, seed: seed).0.count
                try distributed.averageGradients(
                    parameters.map(\.tensor), share: Double(batch.clips.count) / Double(global * classes.count))
            }
            run.precision.step(optimizer)
            throughput.add(batch.clips.count)
            let reading = ClassifierStepReading(run, loss: loss, logits: logits, labels: y)
            if let reading {
                lastLoss = reading.loss
                report(.step(step: step + 1, total: steps, loss: lastLoss, accuracy: reading.accuracy, clipsPerSecond: throughput.read()))
            }

            if (step + 1) % config.validateEvery == 0 || step + 1 == steps, validation.count > 0 {
                lastValidation = try validate(
                    model, validationGenerator, validation, config, run: run, step: step + 1, classes: classes)
                report(.validated(step: step + 1, accuracy: lastValidation.accuracy, perClass: lastValidation.perClass))
            }
            return reading?.metrics(lr: optimizer.learningRates[0]) ?? [:]
        }
        let trainSeconds = Date().timeIntervalSince(loopStart)
        let summary = MoSISummary(
            outcome: outcome.description, steps: run.step, finalTrainLoss: lastLoss,
            validationAccuracy: lastValidation.accuracy, validationAccuracyPerClass: lastValidation.perClass,
            classes: classes.map(\.description), chance: 1 / Double(classes.count),
            dataWaitFraction: trainSeconds > 0 ? prefetcher.waitSeconds / trainSeconds : 0,
            communicationFraction: trainSeconds > 0 ? distributed.communicationSeconds / trainSeconds : 0,
            seconds: Date().timeIntervalSince(started))
        try run.writeSummary(summary)
        return summary
    }

    /// Moves a clip batch to the device, channels-last when the model is.
    private static func prepare(_ clips: Tensor, _ config: MoSIPretrainConfig, _ device: Device) throws -> Tensor {
        let x = try clips.staged(to: device)
        return config.model.channelsLast ? x.contiguous(.channelsLast3d) : x
    }

    /// Accuracy per class and the confusion matrix on the held-out images, with the validation
    /// generator (centred paths, §1.7); logged under "validation".
    private static func validate(
        _ model: any Backbone, _ generator: MoSIGenerator, _ images: some StillImageSource, _ config: MoSIPretrainConfig,
        run: TrainingRun<MoSIPretrainConfig>, step: Int, classes: [MoSISpeed]
    ) throws -> (accuracy: Double, perClass: [Double]) {
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes.count), count: classes.count)
        try withNoGrad { () throws in
            for start in stride(from: 0, to: images.count, by: config.data.imagesPerStep) {
                let indices = Array(start..<min(start + config.data.imagesPerStep, images.count))
                let batch = try generator.batch(from: images, indices: indices, epoch: 0)
                let (clips, _) = batch.tensors(config.data.inputNormalization)
                let predicted = model(try prepare(clips, config, run.device), mode: .eval).argmax(dim: 1).array(of: Int.self)
                for (truth, guess) in zip(batch.labels, predicted) { confusion[truth][guess] += 1 }
            }
        }
        let perClass = confusion.enumerated().map { i, row in Double(row[i]) / Double(max(row.reduce(0, +), 1)) }
        let correct = confusion.indices.map { confusion[$0][$0] }.reduce(0, +)
        let accuracy = Double(correct) / Double(max(confusion.joined().reduce(0, +), 1))
        try run.log(["accuracy": accuracy], split: "validation", step: step)
        try run.metrics.write([
            "split": "validation", "step": step, "confusion": confusion, "labels": classes.map(\.description),
            "accuracy_per_class": perClass,
        ])
        return (accuracy, perClass)
    }
}
