import KinemaModels
import KinemaOptim

/// One training-step case: a registered backbone trained on a fixed random batch, as
/// Tools/bench/reference.py's `Case` (AdamW lr 1e-3, weight decay 1e-4, cross-entropy over 9
/// classes: the MoSI pretext's).
struct StepCase {
    let model: ModelName
    let batch: Int
    let frames: Int
    let size: Int
    /// "mosi" or "demo" (`--sizes`).
    let sizeName: String
    /// What the row stands for, when more than its shape.
    var note = ""

    var shape: String { "\(batch)x3x\(frames)x\(size)x\(size)" }
    var label: String { "\(model.rawValue) \(shape)" }

    /// The reference's `case` command.
    var referenceCommand: String { "case \(model.rawValue) \(batch) \(frames) \(size) \(TrainingStep.classes)" }
}

/// Kinema's side of a case, built the way training builds it (channels-last weights and input,
/// as `model.channelsLast` defaults to in the configs).
final class TrainingStep {
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

    /// Seconds of `count` steps.
    func seconds(_ count: Int) -> Double {
        let start = now()
        for _ in 0..<count { step() }
        return now() - start
    }
}
