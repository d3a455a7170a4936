import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaOptim
import KinemaTensor
import KinemaTrain
import Testing

/// A test run on ``TinyMotionSet``'s training side (2 videos held out, one clip each), 2 clips of
/// 32² a step, written to `output` without TensorBoard.
func useTinyMotionSet(_ run: inout RunSettings, _ data: inout VideoMAEDataSettings, output: URL) {
    run.output = output.path
    run.threads = 0  // the engine's thread count is process-wide: leave it to the test runner
    run.tensorBoard = false
    data.format = "ucf101"
    data.source = TinyMotionSet.videos.path
    data.splits = TinyMotionSet.splits.path
    data.cropSize = 32
    data.batchSize = 2
    data.validationVideos = 2
    data.validationClips = 1
}

/// A VideoMAE run over ``TinyMotionVideos``' UCF101 training side: the tiny ViT on 4 × 32² clips
/// (8 tokens, half of each slice masked), 2 clips a pass.
func tinyVideoMAEConfig(output: URL, steps: Int) -> VideoMAEPretrainConfig {
    var config = VideoMAEPretrainConfig()
    useTinyMotionSet(&config.run, &config.data, output: output)
    config.data.frames = 4
    config.data.stride = 2
    config.data.decodeShortSide = 36
    config.model.name = ModelName.vitS16Tiny.rawValue
    config.model.maskRatio = 0.5
    config.optim.learningRate = 0.1
    config.optim.warmupEpochs = 0
    config.optim.warmupSteps = 1
    config.steps = steps
    config.epochs = 0
    config.validateEvery = max(steps, 1)
    return config
}

@Suite struct VideoMAEPretrainingTests {
    @Test func anInterruptedAndResumedRunEqualsAnUninterruptedOne() throws {
        let straight = temporaryRunFolder("videomae-straight")
        let stopped = temporaryRunFolder("videomae-stopped")
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: stopped)
        }
        func config(_ output: URL) -> VideoMAEPretrainConfig {
            var config = tinyVideoMAEConfig(output: output, steps: 4)
            config.optim.accumulate = 2
            return config
        }
        _ = try VideoMAEPretraining.run(config(straight), interrupt: TrainingInterrupt())
        let interrupt = TrainingInterrupt()
        let first = try VideoMAEPretraining.run(config(stopped), interrupt: interrupt) { event in
            if case .step(let step, _, _, _) = event, step == 2 { interrupt.request() }
        }
        #expect(first.steps == 2)
        let resumed = try VideoMAEPretraining.run(config(stopped), resume: true, interrupt: TrainingInterrupt())
        #expect(resumed.steps == 4)

        try expectSameLastCheckpoint(straight, stopped)
    }

    /// Two passes of 2 clips make the step that one pass of 4 makes: the same clips and masks
    /// (drawn per step), the mean loss, and the same gradient. The gradient is read from AdamW's
    /// first moment after the first step, (1 − β1)·g: the weights would not show it, as Adam's
    /// first update is lr·g/(|g| + ε), blind to a wrong scale of g.
    @Test func gradientAccumulationTakesTheStepOfTheWholeBatch() throws {
        let whole = temporaryRunFolder("videomae-whole")
        let split = temporaryRunFolder("videomae-accumulated")
        defer {
            try? FileManager.default.removeItem(at: whole)
            try? FileManager.default.removeItem(at: split)
        }
        var one = tinyVideoMAEConfig(output: whole, steps: 1)
        one.data.batchSize = 4
        var two = tinyVideoMAEConfig(output: split, steps: 1)
        two.optim.accumulate = 2
        let a = try VideoMAEPretraining.run(one, interrupt: TrainingInterrupt())
        let b = try VideoMAEPretraining.run(two, interrupt: TrainingInterrupt())
        // The mean of two float32 means of the same values: a few ulps of a loss ≈ 1.
        #expect(abs(a.finalTrainLoss - b.finalTrainLoss) < 1e-5)
        let ma = try Checkpoint.load(RunFolder(whole).lastCheckpoint).optimizer.filter { $0.key.hasSuffix(".exp_avg") }
        let mb = try Checkpoint.load(RunFolder(split).lastCheckpoint).optimizer.filter { $0.key.hasSuffix(".exp_avg") }
        #expect(!ma.isEmpty && Set(ma.keys) == Set(mb.keys))
        for (name, a) in ma {
            // Float32 sums of 4 clips' contributions in two orders differ by a few ulps of the
            // largest term; 1e-3 of the tensor's largest entry is far above that and far below the
            // factor 2 of a wrongly scaled pass.
            let scale = a.abs().max().item(Double.self)
            #expect(scale > 0, "\(name)")
            #expect((a - mb[name]!).abs().max().item(Double.self) <= 1e-3 * scale, "\(name)")
        }
    }

    /// The checkpoint holds VideoMAE's pretraining keys, the held-out validation is logged beside
    /// the patch-mean predictor's loss, the decay groups follow VideoMAE, and the GIFs are written.
    @Test func aRunWritesVideoMAEKeysTheHeldOutLossesAndTheReconstructions() throws {
        let output = temporaryRunFolder("videomae-run")
        defer { try? FileManager.default.removeItem(at: output) }
        let summary = try VideoMAEPretraining.run(tinyVideoMAEConfig(output: output, steps: 2), interrupt: TrainingInterrupt())
        let checkpoint = try Checkpoint.load(RunFolder(output).lastCheckpoint)
        for key in ["encoder.patch_embed.proj.weight", "encoder.blocks.3.attn.q_bias", "encoder.norm.weight",
                    "encoder_to_decoder.weight", "mask_token", "decoder.blocks.1.mlp.fc2.bias", "decoder.norm.weight",
                    "decoder.head.weight"] {
            #expect(checkpoint.model[key] != nil, "\(key)")
        }
        #expect(checkpoint.model["decoder.head.weight"]?.shape == [1536, 96])
        let decays = checkpoint.optimizer.filter { $0.key.hasSuffix(".weight_decay") }.map { $0.value.item(Double.self) }
        #expect(Set(decays) == [0, 0.05])
        // With per-patch normalisation the patch-mean predictor predicts 0: its loss is the targets'
        // mean square, (n − 1)/n for n = 2·16·16 values a channel (unbiased deviation).
        let n = 512.0
        #expect(abs(summary.patchMeanLoss! - (n - 1) / n) < 1e-3)
        #expect(summary.validationLoss!.isFinite && summary.initialValidationLoss!.isFinite)
        for gif in [VideoMAEPretraining.initialReconstruction, VideoMAEPretraining.finalReconstruction] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(gif).path), "\(gif)")
        }

        // Fine-tuning, Grad-CAM and features start from the run's encoder (fc_norm and head fresh).
        let pretrained = try PretrainedBackbone.load(output)
        #expect(pretrained.name == .vitS16Tiny && pretrained.normalization == .imagenet)
        #expect(pretrained.trainedClip?.frames == 4 && pretrained.trainedClip?.size == 32)
        let weights = pretrained.backbone.stateDict()
        #expect(weights["blocks.2.mlp.fc1.weight"]!.isEqual(to: checkpoint.model["encoder.blocks.2.mlp.fc1.weight"]!))
        #expect(weights["patch_embed.proj.bias"]!.isEqual(to: checkpoint.model["encoder.patch_embed.proj.bias"]!))
        #expect(weights["fc_norm.weight"]!.isEqual(to: Tensor.ones([192])))
    }

    /// `data.heldOut: end` trains on every video and validates on the end of each.
    @Test func heldOutEndsValidateOnEveryVideo() throws {
        let output = temporaryRunFolder("videomae-end")
        defer { try? FileManager.default.removeItem(at: output) }
        var config = tinyVideoMAEConfig(output: output, steps: 1)
        config.data.heldOut = "end"
        config.data.validationClips = 2
        var counts: (videos: Int, clips: Int)?
        _ = try VideoMAEPretraining.run(config, interrupt: TrainingInterrupt()) { event in
            if case .started(let videos, let clips, _, _, _, _, _) = event { counts = (videos, clips) }
        }
        let all = try FineTuneDataSettings.trainingSide(
            format: "ucf101", videos: config.data.source, splits: config.data.splits, split: 1, train: "", labels: "")
        #expect(counts?.videos == all.count && counts?.clips == 2 * all.count)
    }

    @Test func badConfigsAreRefusedNamingTheKey() throws {
        func problems(_ overrides: [String]) -> [String] {
            do {
                _ = try VideoMAEPretrainConfig.resolve(overrides: ["data.source=/v"] + overrides)
                return []
            } catch { return error.problems }
        }
        #expect(problems(["model.maskRatio=1"]).contains { $0.hasPrefix("model.maskRatio") })
        #expect(problems(["model.maskRatio=0"]).contains { $0.hasPrefix("model.maskRatio") })
        #expect(problems(["data.cropSize=200"]).contains { $0.hasPrefix("data.cropSize") })
        #expect(problems(["data.frames=15"]).contains { $0.hasPrefix("data.cropSize") })
        #expect(problems(["model.name=r3d_18"]).contains { $0.hasPrefix("model.name") })
        #expect(problems(["model.decoderWidth=100", "model.decoderHeads=3"]).contains { $0.hasPrefix("model.decoderHeads") })
        #expect(problems(["optim.accumulate=0"]).contains { $0.hasPrefix("optim.accumulate") })
        #expect(problems(["data.heldOut=middle"]).contains { $0.hasPrefix("data.heldOut") })
        #expect(problems(["data.heldOutFraction=1"]).contains { $0.hasPrefix("data.heldOutFraction") })
        // 2 × 2 × 2 tokens at 0.3: ⌊0.3 · 4⌋ = 1 masked a slice is fine; 0.2 masks none.
        #expect(problems(["data.frames=4", "data.cropSize=32", "data.decodeShortSide=36", "model.name=vit_s_16_tiny",
                          "model.maskRatio=0.2"]).contains { $0.hasPrefix("model.maskRatio") })
        #expect(problems([]).isEmpty)
    }

    @Test func theLearningRatesScaleWithTheEffectiveBatch() throws {
        var config = VideoMAEPretrainConfig()
        config.data.batchSize = 32
        config.optim.accumulate = 64  // 2048 clips: VideoMAE's 64 GPUs × 32
        #expect(abs(config.scaled(config.optim.learningRate) - 1.2e-3) < 1e-15)
        // K400's 240,436 training videos at 2048 a step: 118 steps an epoch, 40 of warm-up.
        config.epochs = 800
        let schedule = config.schedule(trainingVideos: 240_436)
        #expect(schedule.steps == 800 * 118 && schedule.warmup == 40 * 118)
    }

    @Test func everyShippedVideoMAEConfigResolves() throws {
        let folder = TestData.repository.appendingPathComponent("configs/videomae")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 4)
        for file in files {
            let config = try VideoMAEPretrainConfig.resolve(
                file: folder.appendingPathComponent(file), overrides: ["data.source=/data/v", "data.train=/data/t", "data.splits=/data/s"])
            #expect(config.model.modelName?.vitConfiguration() != nil, "\(file)")
        }
    }
}
