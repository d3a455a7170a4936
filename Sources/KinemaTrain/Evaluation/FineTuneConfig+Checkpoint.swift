import Foundation

extension FineTuneConfig {
    /// The settings to test or probe a checkpoint with: the config of the run that wrote it, when
    /// that run was a fine-tuning (its dataset, clip and view settings), overlaid with `file` and
    /// `overrides` (`--config`, `--set`); the defaults with the run's input normalisation overlaid
    /// with them otherwise (a MoSI run says nothing about a labelled dataset). With
    /// `requireFineTuned`, a checkpoint of another kind of run is an error; so is a
    /// `data.normalization` other than the one the checkpoint was trained with.
    public static func resolve(
        for pretrained: PretrainedBackbone, file: URL?, overrides: [String], requireFineTuned: Bool
    ) throws -> FineTuneConfig {
        let saved = (text: pretrained.configJSON, source: "\(pretrained.checkpoint.path) (the config of its run)")
        let isFineTuned = (try? FineTuneConfig.resolve(layers: [saved])) != nil
        if requireFineTuned && !isFineTuned {
            throw TrainingRunError(
                "\(pretrained.checkpoint.path) was not written by `kinema finetune` (its run config describes no labelled "
                    + "dataset): fine-tune it first, or extract its features with `kinema features`")
        }
        let fileLayers = try file.map { [try readLayer($0)] } ?? []
        let trained = pretrained.normalization
        let normalization = (text: "data:\n  normalization: \(trained.rawValue)\n", source: "\(pretrained.checkpoint.path) (its normalisation)")
        let config = try resolve(layers: [isFineTuned ? saved : normalization] + fileLayers, overrides: overrides)
        guard config.data.inputNormalization == trained else {
            throw ConfigError(problems: [
                "data.normalization: \(pretrained.checkpoint.path) was trained on \(trained.rawValue)-normalised clips, not "
                    + "\(config.data.normalization) (leave the key out to use the checkpoint's)"
            ])
        }
        return config
    }
}

extension FineTuneConfig {
    /// The settings to test or probe any classifier checkpoint with. A Kinema run's: as
    /// ``resolve(for:file:overrides:requireFineTuned:)`` with its run. One from outside Kinema (a
    /// transformers folder, an official VideoMAE file) has no run config: the defaults with the
    /// checkpoint's own clip and test cut (VideoMAE's sampling, the processor's short side and crop)
    /// and VideoMAE's Kinetics test views, 5 clips × 3 crops, overlaid with `file` and `overrides`.
    /// Its clips are normalised with its own statistics (``ClassifierCheckpoint/statistics``): a
    /// `data.normalization` naming others is an error, and statistics without a name (a processor's
    /// 0.5 / 0.5) are used whatever the key says.
    public static func resolve(
        for checkpoint: ClassifierCheckpoint, file: URL?, overrides: [String], requireFineTuned: Bool
    ) throws -> FineTuneConfig {
        if let kinema = checkpoint.kinema {
            return try resolve(for: kinema, file: file, overrides: overrides, requireFineTuned: requireFineTuned)
        }
        let (sampling, views) = (checkpoint.settings.sampling, checkpoint.settings.views)
        var text = """
            data:
              frames: \(sampling.frames)
              stride: \(sampling.stride)
              targetFPS: \(sampling.targetFPS ?? 0)
              testPlacement: \(sampling.testPlacement.rawValue)
              cropSize: \(views.cropSize)
              testShortSide: \(views.shortSide)
              testClips: 5
              testCrops: 3

            """
        if let named = checkpoint.statistics.named { text += "  normalization: \(named.rawValue)\n" }
        let own = (text: text, source: "\(checkpoint.url.path) (its clip and test views)")
        let fileLayers = try file.map { [try readLayer($0)] } ?? []
        let config = try resolve(layers: [own] + fileLayers, overrides: overrides)
        if let named = checkpoint.statistics.named, config.data.inputNormalization != named {
            throw ConfigError(problems: [
                "data.normalization: \(checkpoint.url.path) was trained on \(named.rawValue)-normalised clips, not "
                    + "\(config.data.normalization) (leave the key out to use the checkpoint's)"
            ])
        }
        return config
    }
}
