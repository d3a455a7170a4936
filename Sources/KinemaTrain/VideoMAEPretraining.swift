// VideoMAE pretraining (Tong et al., NeurIPS 2022, §3.3): tube-masked clips, the encoder on the
// visible tubes only, the decoder predicting every masked tube's pixels (normalised per patch),
// MSE over the masked tokens (`engine_for_pretraining.py`). The held-out validation reports the
// loss beside the loss of predicting each masked tube by its own mean colour — the bar a model has
// to clear to have learned anything beyond the patch's average — and the run folder gets
// original | masked input | reconstruction GIFs of held-out clips before training and at the end.
import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaPretext
import KinemaTensor
import KinemaVideo
import KinemaVisualize

/// What VideoMAE pretraining reports while it runs.
public enum VideoMAEEvent {
    /// Rows of the dataset's training list that were skipped as unusable (a `data.format` only).
    case skippedRows([DatasetProblem])
    /// Training videos that failed to decode and were replaced by the next ones.
    case skippedVideos([String])
    case started(videos: Int, heldOutClips: Int, parameters: Int, tokens: Int, visibleTokens: Int, steps: Int, resumedAt: Int)
    case step(step: Int, total: Int, loss: Double, clipsPerSecond: Double)
    case validated(step: Int, loss: Double, patchMeanLoss: Double)
}

/// The result of a pretraining run.
public struct VideoMAESummary: Codable, Sendable {
    public var outcome: String
    public var steps: Int
    public var finalTrainLoss: Double
    /// The held-out reconstruction loss at the last validation, and at step 0 (a new run only).
    public var validationLoss: Double?
    public var initialValidationLoss: Double?
    /// The held-out loss of predicting each masked tube by its own mean colour.
    public var patchMeanLoss: Double?
    /// Fraction of training time the trainer waited for data.
    public var dataWaitFraction: Double
    public var seconds: Double
}

/// One step's clips (`clipsPerStep` of them), their masks and, for motion targets, their targets.
struct VideoMAEBatch: Sendable {
    var clips: [[Image]]
    var masks: [[Bool]]
    var motion: [MMETargets]
    var skipped: [String]
}

/// Held-out clips with their fixed masks (and motion targets).
private typealias HeldOutClips = (clips: [[Image]], masks: [[Bool]], motion: [MMETargets])

public enum VideoMAEPretraining {
    /// The reconstruction GIFs in the run folder.
    public static let initialReconstruction = "reconstruction-step0.gif"
    public static let finalReconstruction = "reconstruction.gif"
    /// The target vs predicted trajectory GIFs of motion targets (MME Fig. 4).
    public static let initialTrajectories = "trajectories-step0.gif"
    public static let finalTrajectories = "trajectories.gif"

    /// Trains (or, with `resume`, continues) a VideoMAE run in `config.run.output`.
    public static func run(
        _ config: VideoMAEPretrainConfig, resume: Bool = false, interrupt: TrainingInterrupt = .signals,
        report: (VideoMAEEvent) -> Void = { _ in }
    ) throws -> VideoMAESummary {
        let started = Date()
        let run = try TrainingRun(config: config, resume: resume)
        let (training, heldOut, skipped) = try config.data.videos()
        if !skipped.isEmpty { report(.skippedRows(skipped)) }
        let trainer = try VideoMAETrainer(config: config, run: run, training: training)
        return try trainer.train(heldOut: heldOut, started: started, interrupt: interrupt, report: report)
    }
}

private struct VideoMAETrainer {
    let config: VideoMAEPretrainConfig
    let run: TrainingRun<VideoMAEPretrainConfig>
    let training: [VideoItem]
    let loader: VideoClipLoader
    let masking: TokenMasking
    let target: PretrainTarget
    let input: ClipInput
    /// The token grid of a training clip.
    let grid: (frames: Int, height: Int, width: Int)

    init(config: VideoMAEPretrainConfig, run: TrainingRun<VideoMAEPretrainConfig>, training: [VideoItem]) throws {
        (self.config, self.run, self.training) = (config, run, training)
        loader = try config.data.loader()
        masking = try config.model.tokenMasking()
        let vit = config.model.modelName!.vitConfiguration()!
        target = PretrainTarget(config)
        input = ClipInput(normalization: config.data.inputNormalization, device: run.device)
        grid = (config.data.frames / vit.tubeletSize, config.data.cropSize / vit.patchSize, config.data.cropSize / vit.patchSize)
    }

    func train(
        heldOut: [VideoItem], started: Date, interrupt: TrainingInterrupt, report: (VideoMAEEvent) -> Void
    ) throws -> VideoMAESummary {
        let (steps, warmup) = config.schedule(trainingVideos: training.count)
        let model = try makeModel()
        let ranges = model.decoder.configuration.outputRanges
        let optimizer = try makeOptimizer(model)
        let scheduler = LearningRateScheduler(
            try WarmupCosineSchedule(
                base: config.scaled(config.optim.learningRate), final: config.scaled(config.optim.minLearningRate),
                warmupStart: config.scaled(config.optim.warmupLearningRate), warmupSteps: warmup, totalSteps: steps,
                convention: .videoMAE))
        let dropPathGenerator = try Generator(seed: config.run.seed &+ 2, device: run.device)
        let state = TrainingState(
            model: model, optimizer: optimizer, generators: ["dropPath": dropPathGenerator],
            modelDescription: "\(config.model.name) masked autoencoder (\(config.target.kind) target, \(masking.kind.rawValue) mask \(masking.ratio))")
        let validation = try heldOutClips(heldOut)
        let tokens = grid.frames * grid.height * grid.width
        report(.started(
            videos: training.count, heldOutClips: validation.clips.count, parameters: model.parameterCount, tokens: tokens,
            visibleTokens: tokens - masking.maskedCount(frames: grid.frames, height: grid.height, width: grid.width),
            steps: steps, resumedAt: run.step))

        var initialLoss: Double?
        if run.step == 0, !validation.clips.isEmpty {
            let result = try validate(model, validation, ranges: ranges, step: 0, gif: VideoMAEPretraining.initialReconstruction)
            initialLoss = result.loss
            report(.validated(step: 0, loss: result.loss, patchMeanLoss: result.patchMean))
        }

        // Data-parallel ranks each take their share of every pass (the batch size is the global one).
        let distributed = run.distributed
        let passSize = try distributed.shard.of(Array(0..<config.data.batchSize)).count
        try distributed.prepare(model.path.store, samplesPerRank: passSize)
        let prefetcher = try makePrefetcher(start: run.step)
        defer { prefetcher.stop() }
        let loopStart = Date()
        var lastLoss = Double.nan
        var lastValidation: (loss: Double, patchMean: Double)?
        var throughput = Throughput()
        let outcome = try run.train(steps: steps, state: state, interrupt: interrupt) { step in
            let batch = try run.batch { try prefetcher.next() }
            if !batch.skipped.isEmpty { report(.skippedVideos(batch.skipped)) }
            scheduler.apply(step: step, to: optimizer)
            optimizer.zeroGrad()
            try distributed.beforeForward(model.path.store)
            // Gradient accumulation: each pass adds its share of the step's mean loss.
            var loss: Tensor?
            let passes = config.optim.accumulate
            for pass in 0..<passes {
                let range = (pass * passSize)..<((pass + 1) * passSize)
                let x = try input.tensor(Array(batch.clips[range]), threads: config.data.loaderThreads)
                let tokens = try MaskedTokens(Array(batch.masks[range]), device: run.device)
                let motion = batch.motion.isEmpty ? [] : Array(batch.motion[range])
                let passLoss = try run.precision.forward {
                    let predictions = model(x, visible: tokens.visible, masked: tokens.masked, mode: .train)
                    return try target.loss(predictions, clip: x, motion: motion, tokens: tokens, ranges: ranges)
                }
                let share = passLoss.detached() / Double(passes)
                run.precision.backward(passLoss / Double(passes))
                loss = loss.map { $0 + share } ?? share
            }
            try distributed.averageGradients(model.trainableParameters().map(\.tensor))
            if config.optim.clipGradient > 0 {
                run.precision.unscale(optimizer)
                _ = clipGradNorm(model.trainableParameters().map(\.tensor), maxNorm: config.optim.clipGradient)
            }
            run.precision.step(optimizer)
            throughput.add(batch.clips.count)
            var metrics: [String: Double] = [:]
            if run.logsThisStep, let loss {
                lastLoss = loss.item(Double.self)
                report(.step(step: step + 1, total: steps, loss: lastLoss, clipsPerSecond: throughput.read()))
                metrics = ["loss": lastLoss, "lr": optimizer.learningRates.max() ?? 0]
            }
            if ((step + 1) % config.validateEvery == 0 || step + 1 == steps), !validation.clips.isEmpty {
                let result = try validate(model, validation, ranges: ranges, step: step + 1, gif: VideoMAEPretraining.finalReconstruction)
                lastValidation = result
                report(.validated(step: step + 1, loss: result.loss, patchMeanLoss: result.patchMean))
            }
            return metrics
        }
        let trainSeconds = Date().timeIntervalSince(loopStart)
        let summary = VideoMAESummary(
            outcome: outcome.description, steps: run.step, finalTrainLoss: lastLoss, validationLoss: lastValidation?.loss,
            initialValidationLoss: initialLoss, patchMeanLoss: lastValidation?.patchMean,
            dataWaitFraction: trainSeconds > 0 ? prefetcher.waitSeconds / trainSeconds : 0,
            seconds: Date().timeIntervalSince(started))
        try run.writeSummary(summary)
        return summary
    }

    /// The masked autoencoder, initialised from its own seeded generator.
    private func makeModel() throws -> MaskedVideoAutoencoder {
        var vit = config.model.modelName!.vitConfiguration()!
        vit.dropPath = 0  // VideoMAE pretrains without drop path
        vit.checkpointBlocks = config.model.checkpointBlocks
        let store = ParameterStore(device: run.device, generator: try Generator(seed: config.run.seed &+ 4, device: run.device))
        return try MaskedVideoAutoencoder(store.root, encoder: vit, decoder: try config.decoderConfiguration())
    }

    /// AdamW with no weight decay on biases, norms and the mask token (VideoMAE `optim_factory.py`:
    /// 1-D parameters, names ending in `.bias`, and those in `no_weight_decay()` — `pos_embed`,
    /// which is not a parameter here, and `mask_token`).
    private func makeOptimizer(_ model: MaskedVideoAutoencoder) throws -> AdamW {
        let optim = config.optim
        let options = AdamOptions(
            learningRate: config.scaled(optim.learningRate), betas: (optim.betas[0], optim.betas[1]), weightDecay: optim.weightDecay)
        return try AdamW(groups: ParameterGroup.grouping(
            model.trainableParameters(), options: options,
            decays: { name, tensor in tensor.rank > 1 && !name.hasSuffix(".bias") && name != "mask_token" }))
    }

    /// Decodes the clips of steps `start`, `start + 1`, … ahead of the trainer. Step s takes videos
    /// s·B ..< (s+1)·B (B clips a step) of the epochs' seeded permutations; clip j of step s is cut
    /// and masked with the generator of index s·B + j, so a resumed run sees the same clips. A
    /// video that fails to decode is replaced by the next one (reported). A data-parallel rank
    /// decodes its share of every pass: positions j of its ``BatchShard`` in each.
    private func makePrefetcher(start: Int) throws -> Prefetcher<VideoMAEBatch> {
        let (training, seed, size, threads) = (training, config.run.seed, config.clipsPerStep, config.data.loaderThreads)
        let (loader, masking, grid, data, target) = (loader, masking, grid, config.data, target)
        let positions = try (0..<config.optim.accumulate).flatMap { pass in
            try run.distributed.shard.of(Array((pass * data.batchSize)..<((pass + 1) * data.batchSize)))
        }
        return Prefetcher<VideoMAEBatch>(workers: config.run.dataWorkers, start: start) { step in
            let (indices, _) = TrainingOrder.wrapping(step: step, batch: size, count: training.count, seed: seed)
            let clips = try parallelMap(positions.count, threads: threads) { k in
                let j = positions[k]
                var generator = SeededGenerator(seed: seed &+ 5, index: step * size + j)
                var skipped: [String] = []
                for attempt in 0..<min(training.count, 5) {
                    let item = training[(indices[j] + attempt) % training.count]
                    do {
                        let located = try target.spanLength(frames: data.frames, stride: data.stride).map { count in
                            try loader.locatedTrainingSpan(item, count: count, portion: data.trainingPortion, using: &generator)
                        }
                        let span = located?.frames
                        let frames = try span.map { span in Swift.stride(from: 0, to: data.frames * data.stride, by: data.stride).map { span[$0] } }
                            ?? loader.trainingFrames(item, portion: data.trainingPortion, using: &generator)
                        let box = data.cropBox(width: frames[0].width, height: frames[0].height, using: &generator)
                        let flip = data.flip && Bool.random(using: &generator)
                        let transform = ClipTransform(crop: box, outputSize: data.cropSize, flip: flip)
                        let clip = try transform.apply(to: frames)
                        let mask = try masking.mask(frames: grid.frames, height: grid.height, width: grid.width, using: &generator)
                        let motion = try span.flatMap { span in
                            try target.motionTargets(
                                span: span, frames: data.frames, stride: data.stride, transform: transform, video: item.url,
                                indices: located?.indices)
                        }
                        return (clip, mask, motion, skipped)
                    } catch {
                        skipped.append("\(error)")
                    }
                }
                throw TrainingRunError("5 training videos in a row failed to decode:\n  " + skipped.joined(separator: "\n  "))
            }
            return VideoMAEBatch(clips: clips.map(\.0), masks: clips.map(\.1), motion: clips.compactMap(\.2), skipped: clips.flatMap(\.3))
        }
    }

    /// The held-out clips (`validationClips` of every held-out video, from its held-out part) and
    /// their masks, fixed for the run: for pixels evenly spaced centre crops, as the test views cut
    /// them; for motion targets, clips at seeded places with their full-rate frames and targets.
    /// The clips are interleaved by video (every video's first clip, then every second one, …) so
    /// that the reconstruction GIF, which shows the first few, shows different scenes.
    private func heldOutClips(_ videos: [VideoItem]) throws -> HeldOutClips {
        let (loader, data, target) = (loader, config.data, target)
        let seed = config.run.seed
        let perVideo = try parallelMap(videos.count, threads: data.loaderThreads) { i -> [([Image], MMETargets?)] in
            guard let count = target.spanLength(frames: data.frames, stride: data.stride) else {
                return try loader.testClips(videos[i], portion: data.heldOutPortion).map { ($0, nil) }
            }
            return try (0..<data.validationClips).map { k in
                var generator = SeededGenerator(seed: seed &+ 9, index: i * data.validationClips + k)
                let span = try loader.trainingSpan(videos[i], count: count, portion: data.heldOutPortion, using: &generator)
                let (width, height) = (span[0].width, span[0].height)
                let side = min(data.cropSize, width, height)
                let transform = ClipTransform(
                    crop: CropBox(x: (width - side) / 2, y: (height - side) / 2, width: side, height: side), outputSize: data.cropSize)
                let frames = Swift.stride(from: 0, to: data.frames * data.stride, by: data.stride).map { span[$0] }
                return (try transform.apply(to: frames),
                        try target.motionTargets(span: span, frames: data.frames, stride: data.stride, transform: transform))
            }
        }
        let clips = (0..<(perVideo.map(\.count).max() ?? 0)).flatMap { k in
            perVideo.compactMap { k < $0.count ? $0[k] : nil }
        }
        let masks = try clips.indices.map { i in
            var generator = SeededGenerator(seed: config.run.seed &+ 7, index: i)
            return try masking.mask(frames: grid.frames, height: grid.height, width: grid.width, using: &generator)
        }
        return (clips.map(\.0), masks, clips.compactMap(\.1))
    }

    /// The held-out loss and the patch-mean predictor's, logged under "validation"; for pixels,
    /// writes the reconstruction GIF `gif` of the first held-out clips, for trajectory targets
    /// their target vs predicted trajectories (the matching trajectories GIF).
    private func validate(
        _ model: MaskedVideoAutoencoder, _ heldOut: HeldOutClips, ranges: [Range<Int>], step: Int, gif: String
    ) throws -> (loss: Double, patchMean: Double) {
        var (loss, patchMean) = (0.0, 0.0)
        let size = config.data.batchSize
        try withNoGrad { () throws in
            for start in stride(from: 0, to: heldOut.clips.count, by: size) {
                let range = start..<min(start + size, heldOut.clips.count)
                let x = try input.tensor(Array(heldOut.clips[range]), threads: config.data.loaderThreads)
                let tokens = try MaskedTokens(Array(heldOut.masks[range]), device: run.device)
                let predictions = model(x, visible: tokens.visible, masked: tokens.masked, mode: .eval)
                let motion = heldOut.motion.isEmpty ? [] : Array(heldOut.motion[range])
                let weight = Double(range.count) / Double(heldOut.clips.count)
                loss += try target.loss(predictions, clip: x, motion: motion, tokens: tokens, ranges: ranges).item(Double.self) * weight
                patchMean += try target.patchMeanLoss(clip: x, motion: motion, tokens: tokens, ranges: ranges).item(Double.self) * weight
                guard start == 0, run.distributed.isWriter else { continue }  // rank 0 writes the GIFs
                if target.motion == nil {
                    let shown = min(range.count, 4)
                    try ReconstructionGIF.write(
                        original: x.narrowed(dim: 0, start: 0, length: shown), masks: Array(heldOut.masks.prefix(shown)),
                        predictions: predictions.narrowed(dim: 0, start: 0, length: shown),
                        masked: tokens.masked.narrowed(dim: 0, start: 0, length: shown), target: target.pixels, step: step,
                        to: run.folder.url.appendingPathComponent(gif))
                } else if let motion = target.motion, let head = target.settings.motionParts.firstIndex(of: .trajectory) {
                    let shown = min(range.count, 4)
                    let values = predictions.narrowed(dim: 0, start: 0, length: shown)
                        .narrowed(dim: 2, start: ranges[head].lowerBound, length: ranges[head].count).contiguous().array(of: Float.self)
                    let perClip = values.count / shown
                    try TrajectoryPredictionGIF.write(
                        clips: Array(heldOut.clips.prefix(shown)), targets: Array(heldOut.motion.prefix(shown)),
                        masks: Array(heldOut.masks.prefix(shown)),
                        predictions: (0..<shown).map { Array(values[($0 * perClip)..<(($0 + 1) * perClip)]) },
                        tubeletStep: motion.tubelet, patch: motion.patch, step: step,
                        to: run.folder.url.appendingPathComponent(
                            gif == VideoMAEPretraining.initialReconstruction
                                ? VideoMAEPretraining.initialTrajectories : VideoMAEPretraining.finalTrajectories))
                }
            }
        }
        try run.log(["loss": loss, "patch_mean_loss": patchMean, "loss_ratio": loss / patchMean], split: "validation", step: step)
        return (loss, patchMean)
    }
}
