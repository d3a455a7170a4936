import Foundation

/// Where a run's configuration comes from on the command line, applied in this order over the
/// struct's defaults (AESTHETICS.md §7): the run's saved `config.yaml` when resuming, the
/// `--config` file, then the overrides (typed flags such as `--seed` first, as `run.seed=…`,
/// then every `--set key=value` in order, so a later one wins).
public struct ConfigSources: Sendable {
    /// The `--config` file (YAML or JSON), if any.
    public var file: URL?
    /// `key.path=value` overrides in the order they apply.
    public var overrides: [String]
    /// Continue the run in the output folder: its saved config.yaml is the base.
    public var resume: Bool
    /// YAML layers over the type's defaults, under everything else: a command's own defaults
    /// (`kinema mme pretrain` is VideoMAE's trainer with MME's target and mask ratio).
    public var presets: [(text: String, source: String)]

    public init(
        file: URL? = nil, overrides: [String] = [], resume: Bool = false, presets: [(text: String, source: String)] = []
    ) {
        self.file = file
        self.overrides = overrides
        self.resume = resume
        self.presets = presets
    }
}

extension RunConfig {
    /// The config these sources describe, validated; every problem in one ``ConfigError``.
    ///
    /// When resuming, the run folder is `run.output` as the file and overrides set it (or its
    /// default), and its saved config.yaml must exist. Whether the result may continue that run
    /// is checked by ``TrainingRun`` (only ``keysChangeableOnResume`` may differ).
    public static func resolve(_ sources: ConfigSources) throws(ConfigError) -> Self {
        var fileLayers = sources.presets
        if let file = sources.file { fileLayers.append(try readLayer(file)) }
        guard sources.resume else { return try resolve(layers: fileLayers, overrides: sources.overrides) }
        var ignored = ConfigProblems()  // reported by the full resolution below
        let output = merged(layers: fileLayers, overrides: sources.overrides, &ignored)?.run.output ?? Self().run.output
        let saved = RunFolder(URL(fileURLWithPath: output)).config
        guard FileManager.default.fileExists(atPath: saved.path) else {
            throw ConfigError(problems: [
                "--resume: \(output) holds no config.yaml, so there is no run to resume there (check --output)"
            ])
        }
        return try resolve(layers: [try readLayer(saved)] + fileLayers, overrides: sources.overrides)
    }
}
