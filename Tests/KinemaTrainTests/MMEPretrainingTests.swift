import Foundation
import KinemaMediaTestSupport
import KinemaModels
import KinemaOptim
import KinemaPretext
import KinemaTensor
import KinemaTrain
import Testing

/// MME through the masked-autoencoder trainer on ``TinyMotionVideos``: 4 × 32² clips at stride 2
/// (11 full-rate frames a clip for L = 6), motion targets computed by the loader threads.
private func tinyMMEConfig(output: URL, steps: Int) -> VideoMAEPretrainConfig {
    var config = tinyVideoMAEConfig(output: output, steps: steps)
    config.target.kind = "mme"
    config.model.decoderWidth = 96
    config.model.decoderHeads = 3
    config.target.motion.flow = "dis-ultrafast"
    return config
}

@Suite struct MMEPretrainingTests {
    /// MME's keys (a two-layer head per target under `decoder.0`), finite held-out losses against
    /// the patch-mean bar, and an encoder that fine-tuning loads.
    @Test func aRunWritesMMEKeysAndItsEncoderLoadsForFineTuning() throws {
        let output = temporaryRunFolder("mme-run")
        defer { try? FileManager.default.removeItem(at: output) }
        let summary = try VideoMAEPretraining.run(tinyMMEConfig(output: output, steps: 2), interrupt: TrainingInterrupt())
        let checkpoint = try Checkpoint.load(RunFolder(output).lastCheckpoint)
        // K = 4 points, L = 6 steps: 4·6·9 = 216 HOG values and 4·6·2 = 48 position changes a token.
        let shapes: [String: [Int]] = [
            "encoder_to_decoder.0.weight": [96, 192], "decoder.0.blocks.0.attn.qkv.weight": [288, 96],
            "decoder.0.head.0.0.weight": [512, 96], "decoder.0.head.0.2.weight": [216, 512],
            "decoder.0.head.1.2.weight": [48, 512], "mask_token": [1, 1, 96],
        ]
        for (key, shape) in shapes { #expect(checkpoint.model[key]?.shape == shape, "\(key)") }
        #expect(checkpoint.model["decoder.head.weight"] == nil && checkpoint.model["decoder.blocks.0.norm1.weight"] == nil)
        #expect(summary.validationLoss!.isFinite && summary.patchMeanLoss! > 0)

        let pretrained = try PretrainedBackbone.load(output)
        #expect(pretrained.backbone.stateDict()["blocks.1.attn.proj.weight"]!.isEqual(to: checkpoint.model["encoder.blocks.1.attn.proj.weight"]!))
    }

    /// The baselines of MME's Table 5 train on the same MAE: HOG plus a short-term motion head
    /// (here MBH, 4 cells × 2 components × 9 bins), whose targets the loader threads compute.
    @Test func aShortTermMotionBaselineTrainsWithItsOwnHead() throws {
        let output = temporaryRunFolder("mme-mbh")
        defer { try? FileManager.default.removeItem(at: output) }
        var config = tinyMMEConfig(output: output, steps: 2)
        config.target.kind = "mbh"
        let summary = try VideoMAEPretraining.run(config, interrupt: TrainingInterrupt())
        let checkpoint = try Checkpoint.load(RunFolder(output).lastCheckpoint)
        #expect(checkpoint.model["decoder.0.head.0.2.weight"]?.shape == [216, 512])
        #expect(checkpoint.model["decoder.0.head.1.2.weight"]?.shape == [72, 512])
        #expect(summary.validationLoss!.isFinite && summary.patchMeanLoss! > 0)
    }

    /// The targets are drawn from the same seeded generators, so a resumed run is the same run.
    @Test func anInterruptedAndResumedMMERunEqualsAnUninterruptedOne() throws {
        let straight = temporaryRunFolder("mme-straight")
        let stopped = temporaryRunFolder("mme-stopped")
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: stopped)
        }
        _ = try VideoMAEPretraining.run(tinyMMEConfig(output: straight, steps: 3), interrupt: TrainingInterrupt())
        let interrupt = TrainingInterrupt()
        _ = try VideoMAEPretraining.run(tinyMMEConfig(output: stopped, steps: 3), interrupt: interrupt) { event in
            if case .step(let step, _, _, _) = event, step == 1 { interrupt.request() }
        }
        _ = try VideoMAEPretraining.run(tinyMMEConfig(output: stopped, steps: 3), resume: true, interrupt: TrainingInterrupt())
        _ = try expectSameLastCheckpoint(straight, stopped)
    }

    @Test func motionTargetSettingsAreCheckedByKey() throws {
        func problems(_ overrides: [String]) -> [String] {
            do {
                _ = try VideoMAEPretrainConfig.resolve(overrides: ["data.source=/v", "target.kind=mme"] + overrides)
                return []
            } catch { return error.problems }
        }
        #expect(problems([]).isEmpty)
        #expect(problems(["target.kind=optical"]).contains { $0.hasPrefix("target.kind") })
        #expect(problems(["target.headActivations=relu"]).contains { $0.hasPrefix("target.headActivations") })
        #expect(problems(["target.kind=hof"]).isEmpty)
        #expect(problems(["target.kind=hof", "target.motion.shortTerm=mbh"]).contains { $0.hasPrefix("target.motion.shortTerm") })
        #expect(problems(["target.motion.pointsPerPatch=3"]).contains { $0.hasPrefix("target.motion") && $0.contains("pointsPerPatch") })
        #expect(problems(["target.motion.patch=8"]).contains { $0.hasPrefix("target.motion.patch") })
        #expect(problems(["data.normalization=kinetics"]).contains { $0.hasPrefix("target.motion.clipNormalization") })
        // ViT-S's VideoMAE decoder has 3 heads, which divide 99; MME's decoder has 6, which do not.
        #expect(problems(["model.name=vit_s_16", "model.decoderWidth=99"]).contains { $0.hasPrefix("model.decoderHeads") })
    }

    @Test func everyShippedMMEConfigResolves() throws {
        let folder = TestData.repository.appendingPathComponent("configs/mme")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 4)
        for file in files {
            let config = try VideoMAEPretrainConfig.resolve(
                file: folder.appendingPathComponent(file), overrides: ["data.source=/data/v", "data.train=/data/t", "data.splits=/data/s"])
            #expect(config.target.isMotion, "\(file)")
        }
        let released = try VideoMAEPretrainConfig.resolve(
            file: folder.appendingPathComponent("k400_vit_b_released.yaml"), overrides: ["data.source=/data/v", "data.train=/data/t"])
        var expected = MMETargetConfiguration.released
        expected.clipNormalization = released.target.motion.clipNormalization
        #expect(released.target.motion == expected, "the released config is MMETargetConfiguration.released")
    }
}

/// Which heads each target kind builds, with the released code's activations.
@Suite struct MaskedTargetKindTests {
    @Test func eachKindHasThePapersHeadsInTheReleasedOrder() {
        var settings = MaskedTargetSettings()
        let motion = settings.motion
        let expected: [String: [(MotionTargetPart, Int)]] = [
            "pixels": [], "mme": [(.shape, motion.hogChannels), (.trajectory, motion.trajectoryChannels)],
            "trajectory": [(.trajectory, 48)], "hog": [(.shape, 216)],
            "flow": [(.shape, 216), (.shortTerm, 16 * 16 * 2)], "hof": [(.shape, 216), (.shortTerm, 36)], "mbh": [(.shape, 216), (.shortTerm, 72)],
        ]
        #expect(Set(expected.keys) == Set(MaskedTargetSettings.Kind.allCases.map(\.rawValue)))
        settings.headActivations = "released"
        for (kind, heads) in expected {
            settings.kind = kind
            #expect(settings.motionParts == heads.map(\.0), "\(kind)")
            #expect(settings.predictionHeads.map(\.outputs) == heads.map(\.1), "\(kind)")
            // The released code: tanh on trajectories, sigmoid on the rest.
            #expect(settings.predictionHeads.map(\.activation) == heads.map { $0.0 == .trajectory ? .tanh : .sigmoid }, "\(kind)")
            #expect(settings.targetConfiguration.shortTerm.rawValue == (["flow", "hof", "mbh"].contains(kind) ? kind : "none"), "\(kind)")
        }
    }
}
