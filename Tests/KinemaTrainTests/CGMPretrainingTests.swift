import Foundation
import KinemaMediaTestSupport
import KinemaModels
import KinemaOptim
import KinemaTensor
import KinemaTrain
import KinemaVideo
import KinemaVisualize
import Testing

/// CGM-Net through its trainer on ``TinyMotionVideos``: 8 consecutive frames (and the one after)
/// at 32², motion maps of 3 × 3 at 8² upsampled ×4 to 5 × 5 by CGMUL.
private func tinyCGMConfig(output: URL, steps: Int) -> CGMPretrainConfig {
    var config = CGMPretrainConfig()
    useTinyMotionSet(&config.run, &config.data, output: output)
    config.data.frames = 8
    config.data.decodeShortSide = 40
    config.model.backbone = ModelName.r3d18Tiny.rawValue
    config.model.backboneWidth = 4
    config.model.hrKernel = 5
    config.model.contextWidth = 8
    config.model.decoderChannels = [16, 16, 16]
    config.steps = steps
    config.epochs = 0
    config.validateEvery = max(steps, 1)
    return config
}

@Suite struct CGMPretrainingTests {
    /// The run's keys, finite held-out measures with their copy bars, the motion-map GIFs, an
    /// encoder that fine-tuning loads, and the network as a row of `kinema cgm evaluate`.
    @Test func aRunTrainsMotionMapsWhoseEncoderAndNetworkLoad() throws {
        let output = temporaryRunFolder("cgm-run")
        defer { try? FileManager.default.removeItem(at: output) }
        let config = tinyCGMConfig(output: output, steps: 2)
        let summary = try CGMPretraining.run(config, interrupt: TrainingInterrupt())
        let checkpoint = try Checkpoint.load(RunFolder(output).lastCheckpoint)
        for prefix in ["encoder.", "decoder.", "context.", "upsampler."] {
            #expect(checkpoint.model.keys.contains { $0.hasPrefix(prefix) }, "no \(prefix)* tensors")
        }
        // CGMUL's 3×3 conv: 4·16 + 1 inputs to r²·k̂² = 16·25 outputs.
        #expect(checkpoint.model["upsampler.conv.weight"]?.shape == [400, 65, 3, 3])
        let (initial, final) = (try #require(summary.initial), try #require(summary.final))
        for v in [initial, final] {
            #expect(v.loss.isFinite && v.seenL1 > 0 && v.copyL1 > 0 && v.nextPSNR.isFinite && v.copyPSNR.isFinite)
        }
        #expect(initial.copyL1 == final.copyL1, "the bar depends on the held-out clips only")
        for gif in [CGMPretraining.initialMotionMaps, CGMPretraining.finalMotionMaps] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(gif).path), "\(gif)")
        }

        let pretrained = try PretrainedBackbone.load(output)
        #expect(pretrained.name == .r3d18Tiny && pretrained.width == 4 && pretrained.normalization == .symmetric)
        let key = "stem.0.weight"
        #expect(pretrained.backbone.stateDict()[key]!.isEqual(to: checkpoint.model["encoder." + key]!))

        let reconstructor = try CGMNetReconstructor(run: output)
        var reader = try CGMClipReader(TinyMotionSet.videos.appendingPathComponent("MoveRight/v_MoveRight_g01_c01.avi"),
                                       geometry: .init(frames: 8, shortSide: 40, crop: 32))
        let clip = try reader.next()
        let made = try reconstructor.reconstruct(clip: Array(try #require(clip).prefix(8)))
        #expect(made.seen.count == 7 && made.next.width == 32 && made.next.height == 32)
    }

    /// The clips are drawn from step-indexed generators, so a resumed run is the same run.
    @Test func anInterruptedAndResumedRunEqualsAnUninterruptedOne() throws {
        let straight = temporaryRunFolder("cgm-straight")
        let stopped = temporaryRunFolder("cgm-stopped")
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: stopped)
        }
        _ = try CGMPretraining.run(tinyCGMConfig(output: straight, steps: 3), interrupt: TrainingInterrupt())
        let interrupt = TrainingInterrupt()
        _ = try CGMPretraining.run(tinyCGMConfig(output: stopped, steps: 3), interrupt: interrupt) { event in
            if case .step(let step, _, _, _) = event, step == 1 { interrupt.request() }
        }
        _ = try CGMPretraining.run(tinyCGMConfig(output: stopped, steps: 3), resume: true, interrupt: TrainingInterrupt())
        _ = try expectSameLastCheckpoint(straight, stopped)
    }

    @Test func badSettingsAreNamedByKey() throws {
        func problems(_ overrides: [String]) -> [String] {
            do {
                _ = try CGMPretrainConfig.resolve(overrides: ["data.source=/v"] + overrides)
                return []
            } catch { return error.problems }
        }
        #expect(problems([]).isEmpty)
        #expect(problems(["data.normalization=imagenet"]).contains { $0.hasPrefix("data.normalization") })
        #expect(problems(["model.contextWidth=32"]).contains { $0.hasPrefix("model") && $0.contains("128") })
        #expect(problems(["data.cropSize=100"]).contains { $0.hasPrefix("data.cropSize") })
        #expect(problems(["optim.decayFactor=2"]).contains { $0.hasPrefix("optim.decayFactor") })
        #expect(problems(["steps=0", "epochs=0"]).contains { $0.hasPrefix("steps") })
    }

    @Test func everyShippedCGMConfigResolves() throws {
        let folder = TestData.repository.appendingPathComponent("configs/cgm")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 2)
        for file in files {
            _ = try CGMPretrainConfig.resolve(file: folder.appendingPathComponent(file), overrides: ["data.source=/data/v"])
        }
    }
}

/// The motion maps drawn as displacements (the report's colour wheel).
@Suite struct MotionMapDisplacementTests {
    @Test func aFiltersDisplacementIsItsTapsCentreOfMass() throws {
        // Three 5 × 5 filters on a 1 × 2 image: one-hot at (2, −1) and (−1, 0), uniform, and a
        // half-half mix of (1, 1) and (−1, 1).
        let k = 5
        var values = [Float](repeating: 0, count: 3 * k * k * 2)
        func set(_ map: Int, _ pixel: Int, dx: Int, dy: Int, _ value: Float) {
            values[(map * k * k + MotionMapSynthesis.channel(dx: dx, dy: dy, kernel: k)) * 2 + pixel] = value
        }
        set(0, 0, dx: 2, dy: -1, 1)
        set(0, 1, dx: -1, dy: 0, 1)
        for channel in 0..<(k * k) { values[(1 * k * k + channel) * 2] = 1 / 25 }
        set(2, 0, dx: 1, dy: 1, 0.5)
        set(2, 0, dx: -1, dy: 1, 0.5)
        let fields = try MotionMapGIF.displacements(Tensor(values, shape: [3, k * k, 1, 2]))
        #expect(fields[0].vectors == [2, -1, -1, 0])
        #expect(abs(fields[1].vectors[0]) < 1e-6 && abs(fields[1].vectors[1]) < 1e-6, "a uniform filter moves nothing")
        #expect(fields[1].vectors[2] == 0 && fields[1].vectors[3] == 0, "taps summing to 0: no displacement")
        #expect(fields[2].vectors[0] == 0 && fields[2].vectors[1] == 1)
    }
}
