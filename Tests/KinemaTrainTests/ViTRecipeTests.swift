import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaOptim
import KinemaTensor
@testable import KinemaTrain
import Testing

/// VideoMAE's ViT fine-tuning recipe in `kinema finetune` on the tiny motion videos, with
/// vit_s_16_tiny on 4 × 32 × 32 clips (2 × 2 × 2 tokens): RandAugment, random erasing, repeated
/// augmentation, mixup/CutMix, drop path, the head's init scale, layer-wise decay.
@Suite(.serialized) struct ViTRecipeTests {
    private func config(output: URL, steps: Int) -> FineTuneConfig {
        var config = tinyFineTuneConfig(output: output, steps: steps)
        config.model.name = ModelName.vitS16Tiny.rawValue
        config.model.dropPath = 0.1
        config.model.headInitScale = 0.001
        config.data.crop = "videomae"
        config.data.randAugment = "rand-m7-n4-mstd0.5-inc1"
        config.data.randomErasing = 0.25
        config.data.repeatedAugmentation = 2
        config.data.mixup = 0.8
        config.data.cutmix = 1.0
        config.data.labelSmoothing = 0.1
        config.optim.optimizer = "adamw"
        config.optim.weightDecay = 0.05
        config.optim.layerDecay = 0.75
        config.evaluateAtEnd = false
        config.validateEvery = 100
        return config
    }

    @Test func layerDecayGivesTheViTsLayersVideoMAEsScales() throws {
        let output = temporaryRunFolder("vit-layer-decay")
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try FineTuning.run(config(output: output, steps: 1), interrupt: TrainingInterrupt())
        let optimizer = try Checkpoint.load(RunFolder(output).lastCheckpoint).optimizer
        func group(_ g: Int) -> (scale: Double, decay: Double, count: Int) {
            let prefix = "param_groups.\(g)."
            return (optimizer[prefix + "lr_scale"]!.item(Double.self), optimizer[prefix + "weight_decay"]!.item(Double.self),
                    optimizer[prefix + "params"]!.count)
        }
        // VideoMAE: layer i of patch_embed (0), blocks.0…3 (1…4), fc_norm + head (5) gets
        // 0.75^(depth + 1 − i), depth 4. Groups form in order of first appearance, a layer's
        // decayed and undecayed parameters apart: patch_embed's weight, then its bias; a block's
        // 9 one-dimensional tensors (norms, q/v biases, biases), then its 4 weight matrices;
        // fc_norm's 2 and head.bias, then head.weight.
        var expected: [(Double, Double, Int)] = [(pow(0.75, 5), 0.05, 1), (pow(0.75, 5), 0, 1)]
        for block in 0..<4 { expected += [(pow(0.75, Double(4 - block)), 0, 9), (pow(0.75, Double(4 - block)), 0.05, 4)] }
        expected += [(1, 0, 3), (1, 0.05, 1)]
        #expect(optimizer["param_groups.\(expected.count).lr_scale"] == nil, "no other group")
        for (g, (scale, decay, count)) in expected.enumerated() {
            let actual = group(g)
            #expect(abs(actual.scale - scale) < 1e-15 && actual.decay == decay && actual.count == count, "group \(g): \(actual)")
        }
    }

    @Test func aResumedRunEqualsAnUninterruptedOneWithTheWholeRecipe() throws {
        // Drop path draws from the model's generator: the checkpoint must hold its state.
        let straight = temporaryRunFolder("vit-straight")
        let stopped = temporaryRunFolder("vit-stopped")
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: stopped)
        }
        _ = try FineTuning.run(config(output: straight, steps: 4), interrupt: TrainingInterrupt())
        let interrupt = TrainingInterrupt()
        let first = try FineTuning.run(config(output: stopped, steps: 4), interrupt: interrupt) { event in
            if case .step(let step, _, _, _, _) = event, step == 2 { interrupt.request() }
        }
        #expect(first.steps == 2)
        _ = try FineTuning.run(config(output: stopped, steps: 4), resume: true, interrupt: TrainingInterrupt())
        let a = try expectSameLastCheckpoint(straight, stopped)
        #expect(a.step == 4 && a.extra.keys.contains("rng.dropPath"))
    }

    @Test func theOfficialLinearProbeFreezesFcNormToo() throws {
        for freezeNorm in [false, true] {
            let output = temporaryRunFolder("vit-probe")
            defer { try? FileManager.default.removeItem(at: output) }
            var config = config(output: output, steps: 2)
            config.model.linearProbe = true
            config.model.freezeClassifierNorm = freezeNorm
            _ = try FineTuning.run(config, interrupt: TrainingInterrupt())
            let model = try Checkpoint.load(RunFolder(output).lastCheckpoint).model
            // fc_norm starts at weight 1, bias 0 (VideoMAE's LayerNorm init).
            let untouched = model["fc_norm.weight"]!.isEqual(to: .ones([192])) && model["fc_norm.bias"]!.isEqual(to: .zeros([192]))
            #expect(untouched == freezeNorm, "freezeClassifierNorm \(freezeNorm)")
        }
    }

    @Test func aBatchHoldsKClipsOfEachVideoAndTheSameStepGivesTheSameBatch() throws {
        let output = temporaryRunFolder("vit-batch")
        var config = config(output: output, steps: 1)
        config.data.randomErasing = 1
        let (train, _) = try config.data.datasets()
        let maker = try FineTuneBatchMaker(
            config: config, train: train, loader: try config.data.loader(), shard: BatchShard(rank: 0, worldSize: 1))
        let batch = try maker.batch(step: 3)
        #expect(batch.clips.count == 6 && batch.labels.count == 6 && batch.erasures.count == 6)
        for v in 0..<3 {
            #expect(batch.labels[2 * v] == batch.labels[2 * v + 1], "the two clips of video \(v) share its label")
            #expect(batch.clips[2 * v] != batch.clips[2 * v + 1], "and are augmented apart")
        }
        #expect(batch.erasures.allSatisfy { !$0.isEmpty }, "probability 1 erases every clip")
        let again = try maker.batch(step: 3)
        #expect(again.clips == batch.clips && again.labels == batch.labels && again.erasures == batch.erasures)
        // Three videos a step: an epoch over the 18 training videos is 6 steps.
        #expect(config.stepsPerEpoch(trainingVideos: 18) == 6)
    }

    @Test func fourDataWorkersGiveTheTrainerTheBatchesOfOne() throws {
        let config = config(output: temporaryRunFolder("vit-workers"), steps: 1)
        let (train, _) = try config.data.datasets()
        let maker = try FineTuneBatchMaker(
            config: config, train: train, loader: try config.data.loader(), shard: BatchShard(rank: 0, worldSize: 1))
        let prefetcher = Prefetcher<FineTuneBatch>(workers: 4, start: 2) { step in try maker.batch(step: step) }
        defer { prefetcher.stop() }
        for step in 2..<6 {
            let (concurrent, alone) = (try prefetcher.next(), try maker.batch(step: step))
            #expect(concurrent.clips == alone.clips && concurrent.labels == alone.labels, "step \(step)")
        }
    }
}
