import Foundation
import KinemaMediaTestSupport
import KinemaModels
import KinemaOptim
import KinemaTrain
import Testing

/// ``TinyMotionVideos`` written once per test process.
enum TinyMotionSet {
    static let root: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-finetune-\(ProcessInfo.processInfo.processIdentifier)")
        do { try TinyMotionVideos.write(to: root) } catch { fatalError("cannot write the tiny motion videos: \(error)") }
        return root
    }()

    static var videos: URL { root.appendingPathComponent("videos") }
    static var splits: URL { root.appendingPathComponent("splits") }
}

enum TinyMoSIRun {
    /// A 2-step MoSI run of r3d_18_tiny at width 8 on the photos (4-frame 32² clips), made once;
    /// its error (missing photos included) fails every test that asks for it.
    static func folder() throws -> URL { try made.get() }

    private static let made = Result<URL, any Error> {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-finetune-mosi-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: output)
        var config = try tinyMoSIConfig(output: output, steps: 2)
        config.optim.warmupSteps = 1
        _ = try MoSIPretraining.run(config, interrupt: TrainingInterrupt())
        return output
    }
}

/// A fine-tuning config over ``TinyMotionVideos``: r3d_18_tiny at 4 × 32 × 32, stride 2, centre
/// crops (no flip: the classes are directions), no colour jitter, Adam.
func tinyFineTuneConfig(output: URL, steps: Int) -> FineTuneConfig {
    var config = FineTuneConfig()
    config.run.output = output.path
    config.run.threads = 0  // the engine's thread count is process-wide: leave it to the test runner
    config.run.tensorBoard = false
    config.data.videos = TinyMotionSet.videos.path
    config.data.splits = TinyMotionSet.splits.path
    config.data.frames = 4
    config.data.stride = 2
    config.data.targetFPS = 0
    config.data.cropSize = 32
    config.data.decodeShortSide = 36
    config.data.testShortSide = 36
    config.data.crop = "center"
    config.data.flip = false
    config.data.colorJitter = false
    config.data.testClips = 2
    config.data.testCrops = 1
    config.data.batchSize = 6
    config.data.loaderThreads = 2
    config.model.name = ModelName.r3d18Tiny.rawValue
    config.model.dropout = 0
    config.model.channelsLast = false
    config.optim.learningRate = 3e-3
    config.optim.weightDecay = 0
    config.optim.warmupSteps = 0
    config.steps = steps
    config.validateEvery = max(steps, 1)
    return config
}

func temporaryRunFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("kinema-\(name)-\(UInt64.random(in: 0...UInt64.max))")
}

/// The last checkpoints of two run folders: the same step, and the same model and optimizer
/// tensors bit for bit (what an exact resume must give). Returns the first, for further checks.
@discardableResult
func expectSameLastCheckpoint(_ a: URL, _ b: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> Checkpoint {
    let first = try Checkpoint.load(RunFolder(a).lastCheckpoint)
    let second = try Checkpoint.load(RunFolder(b).lastCheckpoint)
    #expect(first.step == second.step, sourceLocation: sourceLocation)
    #expect(Set(first.model.keys) == Set(second.model.keys), sourceLocation: sourceLocation)
    #expect(Set(first.optimizer.keys) == Set(second.optimizer.keys), sourceLocation: sourceLocation)
    for (name, tensor) in first.model {
        #expect(second.model[name].map { tensor.isEqual(to: $0) } == true, "\(name) differs after resume", sourceLocation: sourceLocation)
    }
    for (name, tensor) in first.optimizer {
        #expect(second.optimizer[name].map { tensor.isEqual(to: $0) } == true, "optimizer \(name) differs after resume", sourceLocation: sourceLocation)
    }
    return first
}
