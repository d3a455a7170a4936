import ArgumentParser
import KinemaModels

/// `--model`: the size of an official VideoMAE checkpoint, which carries no config (commands that
/// read any classifier checkpoint: `predict`, `evaluate`, `features`, `gradcam`).
struct CheckpointSizeOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The size of an official VideoMAE checkpoint, e.g. vit_b_16 (`kinema list-models`; default: read off its tensors).",
        valueName: "name"))
    var model: String?

    func validate() throws {
        if let model { _ = try ModelName(validating: model) }
    }

    /// The named size, nil when not given.
    func name() throws -> ModelName? {
        try model.map { try ModelName(validating: $0) }
    }
}
