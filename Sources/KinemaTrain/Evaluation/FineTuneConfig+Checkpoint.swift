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
