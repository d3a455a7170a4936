import ArgumentParser
import Foundation

/// `--config FILE` and repeatable `--set key=value`: how every command that reads a typed config
/// (training, evaluation, MoSI samples) takes it, pulled in with `@OptionGroup`.
struct ConfigFileOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A YAML (or JSON) config file; keys it leaves out keep their defaults (or the run's own).", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override one config key, e.g. --set optim.learningRate=1e-3 or --set data.testCrops=3. Repeatable; "
                + "applied after --config and the typed flags, in order. Unknown keys and wrong types are errors.",
            valueName: "key=value"))
    var overrides: [String] = []

    /// The config file, if one was given.
    var file: URL? { config.map { URL(fileURLWithPath: $0) } }

    func validate() throws {
        if let config, !FileManager.default.fileExists(atPath: config) {
            throw ValidationError("no config file at \(config)")
        }
        for override in overrides where !override.contains("=") {
            throw ValidationError("--set expects key=value, got '\(override)'")
        }
    }
}
