import KinemaTensor

/// What a classifier's training step logs, read from the device at a logging step
/// (``TrainingRun/logsThisStep``): the loss and the accuracy of the logits on the step's labels.
struct ClassifierStepReading {
    let loss: Double
    let accuracy: Double

    /// The reading of a step of `run`, nil unless the step is logged.
    init?<Config>(_ run: TrainingRun<Config>, loss: Tensor, logits: Tensor, labels: Tensor) {
        guard run.logsThisStep else { return nil }
        self.loss = loss.item(Double.self)
        accuracy = (logits.argmax(dim: 1) .== labels).to(.float32).mean().item(Double.self)
    }

    /// The metrics line, with the learning rate `lr`.
    func metrics(lr: Double) -> [String: Double] { ["loss": loss, "accuracy": accuracy, "lr": lr] }
}
