// CGM-Net's self-supervised training (Tian et al., ECCV 2020, §3.5 and §4.1): a clip of T frames
// in, T motion maps out, map t synthesising frame t + 1 from frame t (Eq. 1) — the last one the
// unseen frame after the clip — trained by L_HR + λ1·L_LR (Eqs. 6–7, Charbonnier). Held-out clips
// measure what the motion maps do against doing nothing: the ℓ1 error of the synthesised seen
// frames against copying the previous frame (Table 1's metric), and the PSNR of the predicted
// unseen frame against copying the last one (Table 1, right).
import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor
import KinemaVideo
import KinemaVisualize

/// What CGM-Net training reports while it runs.
public enum CGMEvent {
    case skippedRows([DatasetProblem])
    case skippedVideos([String])
    case started(videos: Int, heldOutClips: Int, parameters: Int, steps: Int, resumedAt: Int)
    case step(step: Int, total: Int, loss: Double, clipsPerSecond: Double)
    case validated(step: Int, CGMValidation)
}

/// The held-out measures at one step (images in [−1, 1]).
public struct CGMValidation: Codable, Sendable {
    /// `L_HR + λ1·L_LR`.
    public var loss: Double
    /// Mean |synthesised − true| of the seen frames 1…T−1 (each from the frame before).
    public var seenL1: Double
    /// The same error when each frame is "synthesised" by copying the one before: the bar.
    public var copyL1: Double
    /// PSNR (dB, 8-bit scale) of the predicted unseen frame T, and of copying frame T − 1.
    public var nextPSNR: Double
    public var copyPSNR: Double
}

/// The result of a run.
public struct CGMSummary: Codable, Sendable {
    public var outcome: String
    public var steps: Int
    public var finalTrainLoss: Double
    public var initial: CGMValidation?
    public var final: CGMValidation?
    public var dataWaitFraction: Double
    public var seconds: Double
}

public enum CGMPretraining {
    /// The motion-map GIFs of held-out clips in the run folder.
    public static let initialMotionMaps = "motion-maps-step0.gif"
    public static let finalMotionMaps = "motion-maps.gif"

    /// Trains (or, with `resume`, continues) a CGM-Net run in `config.run.output`.
    public static func run(
        _ config: CGMPretrainConfig, resume: Bool = false, interrupt: TrainingInterrupt = .signals, report: (CGMEvent) -> Void = { _ in }
    ) throws -> CGMSummary {
        let started = Date()
        let run = try TrainingRun(config: config, resume: resume)
        let (training, heldOut, skipped) = try config.data.videos()
        if !skipped.isEmpty { report(.skippedRows(skipped)) }
        return try CGMTrainer(config: config, run: run, training: training).train(
            heldOut: heldOut, started: started, interrupt: interrupt, report: report)
    }
}

/// A step's clips: `frames + 1` consecutive sampled frames each.
struct CGMBatch: Sendable {
    var clips: [[Image]]
    var skipped: [String]
}

private struct CGMTrainer {
    let config: CGMPretrainConfig
    let run: TrainingRun<CGMPretrainConfig>
    let training: [VideoItem]
    let loader: VideoClipLoader
    let input: ClipInput
    let loss: CGMReconstructionLoss

    init(config: CGMPretrainConfig, run: TrainingRun<CGMPretrainConfig>, training: [VideoItem]) throws {
        (self.config, self.run, self.training) = (config, run, training)
        loader = try config.data.loader()
        input = ClipInput(normalization: .symmetric, device: run.device)
        loss = CGMReconstructionLoss(lowResolutionWeight: config.optim.lowResolutionWeight)
    }

    func train(heldOut: [VideoItem], started: Date, interrupt: TrainingInterrupt, report: (CGMEvent) -> Void) throws -> CGMSummary {
        let (steps, decayEvery) = config.schedule(trainingVideos: training.count)
        let model = try makeModel()
        let optim = config.optim
        var adam = AdamOptions(learningRate: optim.learningRate, weightDecay: optim.weightDecay)
        (adam.beta1, adam.beta2) = (optim.betas[0], optim.betas[1])
        let optimizer = try Adam(groups: [ParameterGroup(named: model.trainableParameters(), options: adam)])
        let scheduler = LearningRateScheduler(try StepDecaySchedule(
            base: optim.learningRate, milestones: Array(Swift.stride(from: decayEvery, to: max(steps, decayEvery + 1), by: decayEvery)),
            gamma: optim.decayFactor))
        let state = TrainingState(
            model: model, optimizer: optimizer,
            modelDescription: "CGM-Net (\(config.model.backbone) encoder, \(config.model.upsampling.rawValue) upsampling ×\(config.model.scale))")
        let validation = try heldOutClips(heldOut)
        report(.started(videos: training.count, heldOutClips: validation.count, parameters: model.parameterCount, steps: steps, resumedAt: run.step))

        var initial: CGMValidation?
        if run.step == 0, !validation.isEmpty {
            initial = try validate(model, validation, step: 0, gif: CGMPretraining.initialMotionMaps)
            report(.validated(step: 0, initial!))
        }
        // Data-parallel ranks each take their share of the step's clips (the batch size is global).
        let distributed = run.distributed
        let positions = try distributed.shard.of(Array(0..<config.clipsPerStep))
        try distributed.prepare(model.path.store, samplesPerRank: positions.count)
        let prefetcher = makePrefetcher(start: run.step, positions: positions)
        defer { prefetcher.stop() }
        let loopStart = Date()
        var lastLoss = Double.nan
        var last: CGMValidation?
        let frames = config.data.frames
        var throughput = Throughput()
        let outcome = try run.train(steps: steps, state: state, interrupt: interrupt) { step in
            let batch = try run.batch { try prefetcher.next() }
            if !batch.skipped.isEmpty { report(.skippedVideos(batch.skipped)) }
            scheduler.apply(step: step, to: optimizer)
            optimizer.zeroGrad()
            try distributed.beforeForward(model.path.store)
            let x = try input.tensor(batch.clips, threads: config.data.loaderThreads)
            let value = run.precision.forward { loss(model(x.narrowed(dim: 2, start: 0, length: frames), mode: .train), frames: x) }
            run.precision.backward(value.total)
            try distributed.averageGradients(model.trainableParameters().map(\.tensor))
            if optim.clipGradient > 0 {
                run.precision.unscale(optimizer)
                _ = clipGradNorm(model.trainableParameters().map(\.tensor), maxNorm: optim.clipGradient)
            }
            run.precision.step(optimizer)
            throughput.add(batch.clips.count)
            var metrics: [String: Double] = [:]
            if run.logsThisStep {
                lastLoss = value.total.item(Double.self)
                report(.step(step: step + 1, total: steps, loss: lastLoss, clipsPerSecond: throughput.read()))
                metrics = [
                    "loss": lastLoss, "loss_hr": value.highResolution.item(Double.self), "loss_lr": value.lowResolution.item(Double.self),
                    "lr": optimizer.learningRates.max() ?? 0,
                ]
            }
            if ((step + 1) % config.validateEvery == 0 || step + 1 == steps), !validation.isEmpty {
                last = try validate(model, validation, step: step + 1, gif: CGMPretraining.finalMotionMaps)
                report(.validated(step: step + 1, last!))
            }
            return metrics
        }
        let trainSeconds = Date().timeIntervalSince(loopStart)
        let summary = CGMSummary(
            outcome: outcome.description, steps: run.step, finalTrainLoss: lastLoss, initial: initial, final: last,
            dataWaitFraction: trainSeconds > 0 ? prefetcher.waitSeconds / trainSeconds : 0, seconds: Date().timeIntervalSince(started))
        try run.writeSummary(summary)
        return summary
    }

    /// The network from its own seeded generator; the context extractor from `contextWeights`
    /// when given.
    private func makeModel() throws -> CGMNet {
        let store = ParameterStore(device: run.device, generator: try Generator(seed: config.run.seed &+ 4, device: run.device))
        let model = try CGMNet(store.root, config.model)
        if !config.contextWeights.isEmpty {
            guard let context = model.context else {
                throw TrainingRunError("contextWeights: the \(config.model.upsampling.rawValue) upsampling has no context extractor")
            }
            let weights = try Safetensors.load(URL(fileURLWithPath: config.contextWeights)).tensors
            _ = try context.loadTorchvisionResNet18(try weights.mapValues { tensor throws(TorchError) in try tensor.to(run.device) })
        }
        return model
    }

    /// Clip j of step s: `frames + 1` frames at `stride` from a seeded place of video
    /// `order(s·B + j)`, cropped and flipped with the generator of index s·B + j, so a resumed run
    /// sees the same clips. A video that fails to decode is replaced by the next one (reported).
    /// A data-parallel rank decodes the clips at its `positions` of every step.
    private func makePrefetcher(start: Int, positions: [Int]) -> Prefetcher<CGMBatch> {
        let (training, seed, size, data, loader, span) = (training, config.run.seed, config.clipsPerStep, config.data, loader, config.spanLength)
        return Prefetcher<CGMBatch>(workers: config.run.dataWorkers, start: start) { step in
            let (indices, _) = TrainingOrder.wrapping(step: step, batch: size, count: training.count, seed: seed)
            let clips = try parallelMap(positions.count, threads: data.loaderThreads) { k in
                let j = positions[k]
                var generator = SeededGenerator(seed: seed &+ 5, index: step * size + j)
                var skipped: [String] = []
                for attempt in 0..<min(training.count, 5) {
                    do {
                        let item = training[(indices[j] + attempt) % training.count]
                        let frames = Self.sampled(try loader.trainingSpan(item, count: span, portion: data.trainingPortion, using: &generator), data)
                        let box = data.cropBox(width: frames[0].width, height: frames[0].height, using: &generator)
                        let flip = data.flip && Bool.random(using: &generator)
                        return (try ClipTransform(crop: box, outputSize: data.cropSize, flip: flip).apply(to: frames), skipped)
                    } catch {
                        skipped.append("\(error)")
                    }
                }
                throw TrainingRunError("5 training videos in a row failed to decode:\n  " + skipped.joined(separator: "\n  "))
            }
            return CGMBatch(clips: clips.map(\.0), skipped: clips.flatMap(\.1))
        }
    }

    /// Every `stride`-th frame of a full-rate span: the clip and the frame after it.
    private static func sampled(_ span: [Image], _ data: VideoMAEDataSettings) -> [Image] {
        Swift.stride(from: 0, through: data.frames * data.stride, by: data.stride).map { span[$0] }
    }

    /// `validationClips` clips of every held-out video at seeded places of its held-out part,
    /// centre-cropped, interleaved by video (the GIF shows the first two: different scenes).
    private func heldOutClips(_ videos: [VideoItem]) throws -> [[Image]] {
        let (loader, data, seed, span) = (loader, config.data, config.run.seed, config.spanLength)
        let perVideo = try parallelMap(videos.count, threads: data.loaderThreads) { i -> [[Image]] in
            try (0..<data.validationClips).map { k in
                var generator = SeededGenerator(seed: seed &+ 9, index: i * data.validationClips + k)
                let frames = Self.sampled(try loader.trainingSpan(videos[i], count: span, portion: data.heldOutPortion, using: &generator), data)
                let (width, height) = (frames[0].width, frames[0].height)
                let side = min(data.cropSize, width, height)
                return try ClipTransform(
                    crop: CropBox(x: (width - side) / 2, y: (height - side) / 2, width: side, height: side), outputSize: data.cropSize
                ).apply(to: frames)
            }
        }
        return (0..<(perVideo.map(\.count).max() ?? 0)).flatMap { k in perVideo.compactMap { k < $0.count ? $0[k] : nil } }
    }

    /// The held-out measures, logged under "validation"; the motion-map GIF `gif` of the first
    /// two clips.
    private func validate(_ model: CGMNet, _ clips: [[Image]], step: Int, gif: String) throws -> CGMValidation {
        var sums = [Double](repeating: 0, count: 5)
        let (t, size) = (config.data.frames, config.data.batchSize)
        try withNoGrad { () throws in
            for start in Swift.stride(from: 0, to: clips.count, by: size) {
                let range = start..<min(start + size, clips.count)
                let x = try input.tensor(Array(clips[range]), threads: config.data.loaderThreads)
                let output = model(x.narrowed(dim: 2, start: 0, length: t), mode: .eval)
                let made = output.reconstructions(of: x.narrowed(dim: 2, start: 0, length: t))
                let truth = x.narrowed(dim: 2, start: 1, length: t)
                let before = x.narrowed(dim: 2, start: 0, length: t)
                let weight = Double(range.count) / Double(clips.count)
                let seen = t - 1
                let values = [
                    loss(output, frames: x).total,
                    (made.narrowed(dim: 2, start: 0, length: seen) - truth.narrowed(dim: 2, start: 0, length: seen)).abs().mean(),
                    (before.narrowed(dim: 2, start: 0, length: seen) - truth.narrowed(dim: 2, start: 0, length: seen)).abs().mean(),
                    Self.psnr(made.narrowed(dim: 2, start: seen, length: 1), truth.narrowed(dim: 2, start: seen, length: 1)),
                    Self.psnr(before.narrowed(dim: 2, start: seen, length: 1), truth.narrowed(dim: 2, start: seen, length: 1)),
                ]
                for (i, value) in values.enumerated() { sums[i] += value.item(Double.self) * weight }
                if start == 0, run.distributed.isWriter {
                    let shown = min(range.count, 2)
                    let first = CGMNetOutput(
                        lowResolutionMaps: output.lowResolutionMaps.narrowed(dim: 0, start: 0, length: shown),
                        highResolutionMaps: output.highResolutionMaps.narrowed(dim: 0, start: 0, length: shown), scale: output.scale)
                    try MotionMapGIF.write(frames: x.narrowed(dim: 0, start: 0, length: shown), output: first, step: step,
                                           to: run.folder.url.appendingPathComponent(gif))
                }
            }
        }
        let result = CGMValidation(loss: sums[0], seenL1: sums[1], copyL1: sums[2], nextPSNR: sums[3], copyPSNR: sums[4])
        try run.log(
            ["loss": result.loss, "seen_l1": result.seenL1, "copy_l1": result.copyL1, "next_psnr": result.nextPSNR, "copy_psnr": result.copyPSNR],
            split: "validation", step: step)
        return result
    }

    /// Mean PSNR over the clips of `a` against `b` (images in [−1, 1], on the 8-bit scale:
    /// `10·log10(255² / MSE₂₅₅)` with `MSE₂₅₅ = 127.5²·MSE`), each clip's capped at
    /// ``CGMMotionEvaluation/psnrCap`` as `kinema cgm evaluate` caps it (identical frames).
    private static func psnr(_ a: Tensor, _ b: Tensor) -> Tensor {
        let mse = (a - b).square().mean(dims: [1, 2, 3, 4]) * (127.5 * 127.5)
        let floor = 255.0 * 255.0 * Foundation.pow(10, -CGMMotionEvaluation.psnrCap / 10)
        return ((mse.clamped(min: floor) / (255.0 * 255.0)).log() * (-10 / Foundation.log(10.0))).mean()
    }
}
