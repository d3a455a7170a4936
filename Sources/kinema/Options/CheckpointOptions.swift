import ArgumentParser
import Foundation
import KinemaTensor
import KinemaTrain

/// The options of commands that read a checkpoint and a dataset without training (`evaluate`,
/// `features`): the checkpoint, settings over its run's config, and where to compute.
struct CheckpointOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "A Kinema run folder (its latest checkpoint) or checkpoint file, a transformers VideoMAE folder, or a converted VideoMAE checkpoint.",
        valueName: "checkpoint"))
    var checkpoint: String

    @OptionGroup var modelSize: CheckpointSizeOption

    /// A fine-tuning config laid over the checkpoint's own run config, and `--set` overrides.
    @OptionGroup var configFile: ConfigFileOptions

    @Option(help: "Threads that decode videos, and libtorch's intra-op threads (0: one per core).")
    var threads = 0

    @Option(help: ArgumentHelp("Where to compute: cpu, cuda or cuda:N.", valueName: "device"))
    var device = "cpu"

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be ≥ 0") }
        guard Device(parsing: device) != nil else { throw ValidationError("--device must be cpu, cuda or cuda:N, got '\(device)'") }
    }

    /// The checkpoint's model on the device, and the settings to read data with. With
    /// `requireFineTuned` the checkpoint must hold a trained classifier.
    func load(requireFineTuned: Bool) throws -> (ClassifierCheckpoint, FineTuneConfig) {
        if threads > 0 { Engine.threadCount = threads }
        let checkpoint = try ClassifierCheckpoint.load(
            URL(fileURLWithPath: self.checkpoint), model: try modelSize.name(), device: Device(parsing: device)!, requireClassifier: requireFineTuned)
        for note in checkpoint.notes { print("note: \(note)") }
        var overrides = configFile.overrides
        if threads > 0 { overrides.insert("data.loaderThreads=\(threads)", at: 0) }
        do {
            let config = try FineTuneConfig.resolve(
                for: checkpoint, file: configFile.file, overrides: overrides, requireFineTuned: requireFineTuned)
            return (checkpoint, config)
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }

    /// How clips become the loaded model's input: its statistics, channels-last when the config
    /// says (with the model's weights laid out to match).
    func input(for checkpoint: ClassifierCheckpoint, _ config: FineTuneConfig) -> ClipInput {
        if config.model.channelsLast { checkpoint.backbone.useChannelsLast() }
        return ClipInput(statistics: checkpoint.statistics, device: Device(parsing: device)!, channelsLast: config.model.channelsLast)
    }
}
