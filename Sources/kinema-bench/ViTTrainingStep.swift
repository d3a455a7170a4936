import KinemaData
import KinemaModels
import KinemaOptim
import KinemaPretext

/// Kinema's side of a `videomae-*` case: VideoMAE's pretraining step as `kinema videomae pretrain`
/// makes it — the encoder on the visible tokens of a tube-masked clip, the decoder, the MSE on the
/// masked tokens against the pixel target normalised per patch (computed each step, as
/// transformers' VideoMAEForPreTraining does inside its forward), backward, AdamW β (0.9, 0.95),
/// weight decay 0.05 — on a fixed random clip batch; Tools/bench/reference.py's `ViTCase("mae")`
/// is the same in transformers. One parameter group on both sides; the masks differ from
/// PyTorch's, their counts do not (⌊ratio·H'W'⌋ positions a slice).
final class MaskedAutoencoderStep: TimedStep {
    private let model: MaskedVideoAutoencoder
    private let target = PixelTarget()
    private let optimizer: AdamW
    private let clip: Tensor
    private let tokens: MaskedTokens

    init(_ c: StepCase, ratio: Double) throws {
        guard let encoder = c.model.vitConfiguration(), let decoder = VideoMAEDecoderConfiguration.videoMAE(for: c.model) else {
            throw BenchError("\(c.model.rawValue) is not a ViT: no masked-autoencoder step")
        }
        Engine.seed(0)
        let store = ParameterStore()
        model = try MaskedVideoAutoencoder(store.root, encoder: encoder, decoder: decoder)
        optimizer = try AdamW(groups: [
            ParameterGroup(
                named: model.trainableParameters(), options: AdamOptions(learningRate: 1e-4, betas: (0.9, 0.95), weightDecay: 0.05))
        ])
        clip = Tensor.randn([c.batch, 3, c.frames, c.size, c.size])
        let grid = model.tokenGrid(ClipShape(frames: c.frames, height: c.size, width: c.size))
        let masking = try TokenMasking(.tube, ratio: ratio)
        var generator = SeededGenerator(seed: 0)
        tokens = try MaskedTokens(
            (0..<c.batch).map { _ in try masking.mask(frames: grid.frames, height: grid.height, width: grid.width, using: &generator) })
    }

    func step() {
        optimizer.zeroGrad()
        let predictions = model(clip, visible: tokens.visible, masked: tokens.masked, mode: .train)
        predictions.mseLoss(tokens.maskedRows(of: target(clip))).backward()
        optimizer.step()
    }
}

/// Kinema's side of a `finetune-*` case: the ViT classifier (mean pooling, `fc_norm`, head) with
/// cross-entropy, AdamW β (0.9, 0.999), weight decay 0.05 (VideoMAE's fine-tuning), on a fixed
/// random clip batch — without drop path, which transformers' VideoMAEForVideoClassification
/// (the reference's `ViTCase("finetune")`) does not implement; no layer-wise decay (one group).
final class FineTuningStep: TimedStep {
    private let model: any Backbone
    private let optimizer: AdamW
    private let x: Tensor
    private let y: Tensor

    init(_ c: StepCase, classes: Int) throws {
        Engine.seed(0)
        let store = ParameterStore()
        model = try c.model.make(store.root, classes: classes)
        optimizer = try AdamW(groups: [
            ParameterGroup(
                named: model.trainableParameters(), options: AdamOptions(learningRate: 1e-4, betas: (0.9, 0.999), weightDecay: 0.05))
        ])
        x = Tensor.randn([c.batch, 3, c.frames, c.size, c.size])
        y = Tensor.arange(0, c.batch).remainder(classes)
    }

    func step() {
        optimizer.zeroGrad()
        model(x, mode: .train).crossEntropy(targets: y).backward()
        optimizer.step()
    }
}
