import Foundation
import KinemaData
import KinemaModels
import KinemaOptim
import KinemaPretext
import KinemaTensor
import KinemaVideo

/// `make demo` until MoSI lands: a small 3-D ResNet learns, without labels, to tell the playback
/// speed of clips cut from a real video (see ``PlaybackSpeedSampler``). It trains on the first 80 %
/// of the video's frames and is validated on the last 20 %, which it never sees in training.
public struct PlaybackSpeedDemoConfig: Codable, Sendable {
    /// The video to learn from.
    public var video: String
    /// Where the run's files go.
    public var output: String = "runs/demo"
    public var steps: Int = 240
    /// Clips per step (a multiple of the number of speeds, so every batch is balanced).
    public var batchSize: Int = 12
    /// Frame strides, one class each.
    public var strides: [Int] = [1, 2, 4]
    public var clipLength: Int = 8
    public var cropSize: Int = 64
    /// Frames are decoded at this size, then randomly cropped to `cropSize`.
    public var frameWidth: Int = 96
    public var frameHeight: Int = 72
    /// R3D-18 structure at this width (64 in torchvision).
    public var modelWidth: Int = 16
    public var learningRate: Double = 2e-3
    public var weightDecay: Double = 1e-4
    public var warmupSteps: Int = 10
    public var evaluateEvery: Int = 20
    public var validationClipsPerSpeed: Int = 16
    public var seed: UInt64 = 0
    public var threads: Int = 2

    public init(video: String) { self.video = video }
}

/// What the demo reports while it runs.
public enum DemoEvent {
    case decoded(frames: Int, seconds: Double)
    case step(index: Int, total: Int, loss: Double, accuracy: Double, learningRate: Double)
    case evaluated(step: Int, accuracy: Double, perClass: [Double])
}

/// The result of a demo run.
public struct DemoSummary: Codable, Sendable {
    public var steps: Int
    public var finalTrainLoss: Double
    public var validationAccuracy: Double
    public var validationAccuracyPerSpeed: [Double]
    public var chance: Double
    public var seconds: Double
    public var output: String
}

public enum PlaybackSpeedDemo {
    public static func run(_ config: PlaybackSpeedDemoConfig, report: (DemoEvent) -> Void) throws -> DemoSummary {
        let start = Date()
        Engine.threadCount = config.threads
        Engine.seed(config.seed)
        let output = URL(fileURLWithPath: config.output)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try RunProvenance.writeJSON(config, to: output.appendingPathComponent("config.json"))
        try RunProvenance.writeJSON(RunProvenance.current(device: .cpu), to: output.appendingPathComponent("provenance.json"))

        let reader = try VideoReader(
            URL(fileURLWithPath: config.video), size: .exactly(width: config.frameWidth, height: config.frameHeight))
        let frames = try reader.remainingFrames()
        report(.decoded(frames: frames.count, seconds: Date().timeIntervalSince(start)))
        let split = frames.count * 4 / 5
        let sampler = PlaybackSpeedSampler(strides: config.strides, clipLength: config.clipLength, cropSize: config.cropSize)
        let renderer = PlaybackSpeedRenderer(sampler)
        let speeds = config.strides.count

        // A fixed validation set from the held-out frames.
        var validationGenerator = SeededGenerator(seed: config.seed, index: -1)
        let validation = try (0..<(config.validationClipsPerSpeed * speeds)).map { i in
            try drawSample(sampler, speedClass: i % speeds, frames: split..<frames.count, config, &validationGenerator)
        }

        // Initialisation draws from its own seeded generator, not libtorch's global one, so the
        // demo gives the same model whatever else the process has drawn.
        let store = ParameterStore(generator: try Generator(seed: config.seed))
        let model = try VideoResNet(store.root, variant: .r3d18, classes: speeds, width: config.modelWidth)
        let optimizer = try AdamW(groups: [
            ParameterGroup(
                named: model.trainableParameters(),
                options: AdamOptions(learningRate: config.learningRate, weightDecay: config.weightDecay))
        ])
        let scheduler = LearningRateScheduler(
            try WarmupCosineSchedule(
                base: config.learningRate, warmupSteps: min(config.warmupSteps, config.steps), totalSteps: config.steps,
                convention: .slowFast))
        let log = try MetricsLog(output.appendingPathComponent("metrics.jsonl"))

        var lastLoss = Double.nan
        var lastAccuracy = (overall: 0.0, perClass: [Double](repeating: 0, count: speeds))
        for step in 0..<config.steps {
            var generator = SeededGenerator(seed: config.seed, index: step)
            let samples = try (0..<config.batchSize).map { i in
                try drawSample(sampler, speedClass: i % speeds, frames: 0..<split, config, &generator)
            }
            let x = ClipTensor.batch(try samples.map { try renderer.render($0, frames: frames) })
            let y = Tensor(samples.map { Int64($0.speedClass) })
            let rate = scheduler.apply(step: step, to: optimizer)
            optimizer.zeroGrad()
            let logits = model(x, mode: .train)
            let loss = logits.crossEntropy(targets: y)
            loss.backward()
            optimizer.step()
            lastLoss = loss.item(Double.self)
            let accuracy = (logits.argmax(dim: 1) .== y).to(.float32).mean().item(Double.self)
            try log.write(["split": "train", "step": step + 1, "loss": lastLoss, "accuracy": accuracy, "lr": rate])
            report(.step(index: step + 1, total: config.steps, loss: lastLoss, accuracy: accuracy, learningRate: rate))

            if (step + 1) % config.evaluateEvery == 0 || step + 1 == config.steps {
                lastAccuracy = try evaluate(model, validation, renderer, frames, speeds: speeds)
                try log.write([
                    "split": "validation", "step": step + 1, "accuracy": lastAccuracy.overall,
                    "accuracy_per_speed": lastAccuracy.perClass,
                ])
                report(.evaluated(step: step + 1, accuracy: lastAccuracy.overall, perClass: lastAccuracy.perClass))
                try Checkpoint(
                    step: step + 1, model: model.stateDict(), optimizer: optimizer,
                    modelDescription: "VideoResNet r3d_18 width \(config.modelWidth), \(speeds) classes (playback speed)",
                    metadata: ["pretext": "playback-speed", "strides": config.strides.map(String.init).joined(separator: ",")]
                ).save(to: output.appendingPathComponent("checkpoint.safetensors"))
            }
        }

        try writeSamplesGIF(validation, renderer, frames, speeds: speeds, to: output.appendingPathComponent("speeds.gif"))
        let summary = DemoSummary(
            steps: config.steps, finalTrainLoss: lastLoss, validationAccuracy: lastAccuracy.overall,
            validationAccuracyPerSpeed: lastAccuracy.perClass, chance: 1 / Double(speeds),
            seconds: Date().timeIntervalSince(start), output: output.path)
        try RunProvenance.writeJSON(summary, to: output.appendingPathComponent("summary.json"))
        return summary
    }

    private static func drawSample(
        _ sampler: PlaybackSpeedSampler, speedClass: Int, frames: Range<Int>, _ config: PlaybackSpeedDemoConfig,
        _ generator: inout SeededGenerator
    ) throws -> PlaybackSpeedSample {
        guard
            let sample = sampler.sample(
                speedClass: speedClass, frames: frames, width: config.frameWidth, height: config.frameHeight,
                using: &generator)
        else {
            throw VideoError(
                path: config.video,
                reason: .invalidArgument(
                    "too short for clips of \(config.clipLength) frames at stride \(config.strides[speedClass]) "
                        + "in frames \(frames)"))
        }
        return sample
    }

    /// Accuracy over `samples` in evaluation mode, overall and per speed class.
    private static func evaluate(
        _ model: VideoResNet, _ samples: [PlaybackSpeedSample], _ renderer: PlaybackSpeedRenderer, _ frames: [Image],
        speeds: Int
    ) throws -> (overall: Double, perClass: [Double]) {
        var correct = [Int](repeating: 0, count: speeds)
        var total = [Int](repeating: 0, count: speeds)
        try withNoGrad { () throws in
            for chunk in stride(from: 0, to: samples.count, by: 12) {
                let batch = Array(samples[chunk..<min(chunk + 12, samples.count)])
                let predicted = model(ClipTensor.batch(try batch.map { try renderer.render($0, frames: frames) }), mode: .eval)
                    .argmax(dim: 1).array(of: Int.self)
                for (sample, guess) in zip(batch, predicted) {
                    total[sample.speedClass] += 1
                    if guess == sample.speedClass { correct[sample.speedClass] += 1 }
                }
            }
        }
        let perClass = zip(correct, total).map { Double($0) / Double(max($1, 1)) }
        return (Double(correct.reduce(0, +)) / Double(max(total.reduce(0, +), 1)), perClass)
    }

    /// One validation clip per speed, side by side, as an animated GIF (slowest on the left).
    private static func writeSamplesGIF(
        _ samples: [PlaybackSpeedSample], _ renderer: PlaybackSpeedRenderer, _ frames: [Image], speeds: Int, to url: URL
    ) throws {
        let clips = try (0..<speeds).map { try renderer.render(samples[$0], frames: frames) }
        let size = renderer.sampler.cropSize
        let writer = try GIFWriter(url: url, width: size * speeds, height: size, fps: 5)
        for t in 0..<renderer.sampler.clipLength {
            var pixels: [UInt8] = []
            pixels.reserveCapacity(size * size * speeds * 3)
            for row in 0..<size {
                for clip in clips { pixels.append(contentsOf: clip[t].pixels[(row * size * 3)..<((row + 1) * size * 3)]) }
            }
            try writer.write(Image(width: size * speeds, height: size, format: .rgb, pixels: pixels))
        }
        try writer.finish()
    }
}
