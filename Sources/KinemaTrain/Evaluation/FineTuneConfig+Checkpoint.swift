import Foundation

extension FineTuneConfig {
    /// The settings to test or probe a checkpoint with: the config of the run that wrote it, when
    /// that run was a fine-tuning (its dataset, clip and view settings), overlaid with `file` and
    /// `overrides` (`--config`, `--set`); the defaults overlaid with them otherwise (a MoSI run
    /// says nothing about a labelled dataset). With `requireFineTuned`, a checkpoint of another
    /// kind of run is an error.
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
        return try resolve(layers: (isFineTuned ? [saved] : []) + fileLayers, overrides: overrides)
    }
}
