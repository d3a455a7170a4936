import ArgumentParser
import Foundation
import KinemaTensor
import KinemaTrain

/// The options of commands that read a checkpoint and a dataset without training (`evaluate`,
/// `features`): the checkpoint, settings over its run's config, and where to compute.
struct CheckpointOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A run folder (its latest checkpoint) or a checkpoint file.", valueName: "checkpoint"))
    var checkpoint: String

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

    /// The checkpoint's model on the device, and the settings to read data with.
    func load(requireFineTuned: Bool) throws -> (PretrainedBackbone, FineTuneConfig) {
        if threads > 0 { Engine.threadCount = threads }
        let pretrained = try PretrainedBackbone.load(URL(fileURLWithPath: checkpoint), device: Device(parsing: device)!)
        var overrides = configFile.overrides
        if threads > 0 { overrides.insert("data.loaderThreads=\(threads)", at: 0) }
        do {
            let config = try FineTuneConfig.resolve(
                for: pretrained, file: configFile.file, overrides: overrides,
                requireFineTuned: requireFineTuned)
            return (pretrained, config)
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }

    /// How clips become the loaded model's input (channels-last when the config says, with the
    /// model's weights laid out to match).
    func input(for pretrained: PretrainedBackbone, _ config: FineTuneConfig) -> ClipInput {
        if config.model.channelsLast { pretrained.backbone.useChannelsLast() }
        return ClipInput(
            normalization: config.data.inputNormalization, device: Device(parsing: device)!,
            channelsLast: config.model.channelsLast)
    }
}
