import KinemaTensor

/// What a classifier's training step logs, read from the device at a logging step
/// (``TrainingRun/logsThisStep``): the loss and the accuracy of the logits on the step's labels.
struct ClassifierStepReading {
    let loss: Double
    let accuracy: Double

    init(loss: Tensor, logits: Tensor, labels: Tensor) {
        self.loss = loss.item(Double.self)
        accuracy = (logits.argmax(dim: 1) .== labels).to(.float32).mean().item(Double.self)
    }

    /// The metrics line, with the learning rate `lr`.
    func metrics(lr: Double) -> [String: Double] { ["loss": loss, "accuracy": accuracy, "lr": lr] }
}
