import KinemaOptim

/// A run that went inf/NaN (`run.nonFinite: stop`): the step, what was not finite, the checkpoint
/// kept (written before, with finite weights), and what to change.
public struct NonFiniteTrainingError: Error, CustomStringConvertible, Sendable {
    /// The step that produced it (1-based, as logged).
    public let step: Int
    /// "the training loss", "parameter backbone.conv1.weight", …
    public let what: String
    public let value: String
    /// The step of the checkpoint that stays (nil: none was written yet).
    public let lastCheckpoint: Int?
    public let precision: Precision

    public var description: String {
        let kept = lastCheckpoint.map {
            "checkpoints/last.safetensors keeps step \($0), whose weights are finite: change the cause, then continue with --resume"
        } ?? "no checkpoint had been written yet"
        var hints = ["a lower optim.lr or a longer warm-up", "gradient clipping where the method has it"]
        if precision != .fp32 { hints.append("--precision fp32 (this run is \(precision.rawValue))") }
        hints.append("run.nonFinite=skip to leave steps with inf/NaN gradients out")
        return "step \(step): \(what) is \(value). The run stops (run.nonFinite: stop) without saving this step; \(kept). "
            + "Try: " + hints.joined(separator: "; ") + "."
    }
}
