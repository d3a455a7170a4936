import KinemaModels
import KinemaOptim

/// One benchmark case: a registered backbone (torchvision's video ResNets, MoSI's R(2+1)D-10 and
/// R-2D3D-18) trained on a random batch, as in Tools/bench/reference.py (AdamW lr 1e-3, weight
/// decay 1e-4, cross-entropy over 9 classes: the MoSI pretext's).
struct StepCase {
    let model: ModelName
    let batch: Int
    let frames: Int
    let size: Int
    let steps: Int

    var label: String { "\(model.rawValue) \(batch)x3x\(frames)x\(size)x\(size)" }

    var referenceArguments: [String] {
        ["step", "--model", model.rawValue, "--batch", "\(batch)", "--frames", "\(frames)", "--size", "\(size)",
         "--steps", "\(steps)"]
    }

    /// Median seconds of one training step (forward, backward, AdamW step) in Kinema.
    func kinemaSeconds(channelsLast: Bool) throws -> Double {
        Engine.seed(0)
        let store = ParameterStore()
        let model = try self.model.make(store.root, classes: 9)
        if channelsLast { model.useChannelsLast() }
        let optimizer = try AdamW(groups: [
            ParameterGroup(named: model.trainableParameters(), options: AdamOptions(learningRate: 1e-3, weightDecay: 1e-4))
        ])
        var x = Tensor.randn([batch, 3, frames, size, size])
        if channelsLast { x = x.contiguous(.channelsLast3d) }
        let y = Tensor.arange(0, batch).remainder(9)
        return medianSeconds(warmup: 1, repeats: steps) {
            optimizer.zeroGrad()
            model(x, mode: .train).crossEntropy(targets: y).backward()
            optimizer.step()
        }.median
    }
}
