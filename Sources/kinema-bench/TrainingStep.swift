import KinemaModels
import KinemaOptim

/// One training-step case: a registered backbone trained on a fixed random batch, as
/// Tools/bench/reference.py's `Case` (AdamW lr 1e-3, weight decay 1e-4, cross-entropy over 9
/// classes: the MoSI pretext's) or, for a ViT, its `ViTCase`.
struct StepCase {
    enum Kind {
        /// MoSI's 9-class step of a CNN (``TrainingStep``).
        case classification
        /// VideoMAE's masked-autoencoder step of a ViT with a tube mask at `ratio` (``MaskedAutoencoderStep``).
        case maskedAutoencoder(ratio: Double)
        /// A ViT classifier's fine-tuning step over `classes` (``FineTuningStep``).
        case fineTuning(classes: Int)
        /// CGM-Net's self-supervised step on `frames` + 1 frames, `model` its encoder (``CGMTrainingStep``).
        case cgm
    }

    let model: ModelName
    let batch: Int
    let frames: Int
    let size: Int
    /// "mosi", "demo", "videomae", "finetune", "cgm" or "cgm-small" (`--sizes`).
    let sizeName: String
    /// What the row stands for, when more than its shape.
    var note = ""
    var kind = Kind.classification

    var shape: String {
        if case .cgm = kind { return "\(batch)x3x\(frames)+1x\(size)x\(size)" }
        return "\(batch)x3x\(frames)x\(size)x\(size)"
    }
    var label: String {
        switch kind {
        case .classification: "\(model.rawValue) \(shape)"
        case .maskedAutoencoder: "videomae-\(model.rawValue) \(shape)"
        case .fineTuning: "finetune-\(model.rawValue) \(shape)"
        case .cgm: "cgm-\(model.rawValue) \(shape)"
        }
    }

    /// The reference's command that builds the case.
    var referenceCommand: String {
        let common = "\(model.rawValue) \(batch) \(frames) \(size)"
        return switch kind {
        case .classification: "case \(common) \(TrainingStep.classes)"
        case .maskedAutoencoder(let ratio): "mae \(common) \(ratio)"
        case .fineTuning(let classes): "finetune \(common) \(classes)"
        case .cgm: "cgm \(batch) \(frames) \(size)"
        }
    }

    /// Kinema's side of the case (a `cgm` case contiguous; StepBench tries both layouts).
    func makeStep() throws -> any TimedStep {
        switch kind {
        case .cgm: try CGMTrainingStep(self, channelsLast: false)
        case .classification: try TrainingStep(self)
        case .maskedAutoencoder(let ratio): try MaskedAutoencoderStep(self, ratio: ratio)
        case .fineTuning(let classes): try FineTuningStep(self, classes: classes)
        }
    }
}

/// A training step on a fixed batch, timed in blocks of steps.
protocol TimedStep: AnyObject {
    func step()
}

extension TimedStep {
    /// Seconds of `count` steps.
    func seconds(_ count: Int) -> Double {
        let start = now()
        for _ in 0..<count { step() }
        return now() - start
    }
}

/// Kinema's side of a CNN case, built the way training builds it (channels-last weights and input,
/// as `model.channelsLast` defaults to in the configs).
final class TrainingStep: TimedStep {
    static let classes = 9
    private let model: any Backbone
    private let optimizer: AdamW
    private let x: Tensor
    private let y: Tensor

    init(_ c: StepCase) throws {
        Engine.seed(0)
        let store = ParameterStore()
        model = try c.model.make(store.root, classes: Self.classes)
        model.useChannelsLast()
        optimizer = try AdamW(groups: [
            ParameterGroup(named: model.trainableParameters(), options: AdamOptions(learningRate: 1e-3, weightDecay: 1e-4))
        ])
        x = Tensor.randn([c.batch, 3, c.frames, c.size, c.size]).contiguous(.channelsLast3d)
        y = Tensor.arange(0, c.batch).remainder(Self.classes)
    }

    func step() {
        optimizer.zeroGrad()
        model(x, mode: .train).crossEntropy(targets: y).backward()
        optimizer.step()
    }
}
