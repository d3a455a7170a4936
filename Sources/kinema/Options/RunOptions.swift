import ArgumentParser
import Foundation
import KinemaOptim
import KinemaTensor
import KinemaTrain

/// The options every training command shares, pulled in with `@OptionGroup var run: RunOptions`.
/// They resolve a typed ``RunConfig`` in the documented order: defaults → the run's saved config
/// (with `--resume`) → `--config` file → typed flags (`--seed`, `--device`, …) → `--set` overrides.
struct RunOptions: ParsableArguments {
    @OptionGroup var configFile: ConfigFileOptions

    @Option(
        help: ArgumentHelp(
            "The run folder: config.yaml, provenance.json, metrics.jsonl, checkpoints/, tensorboard/ (run.output).",
            valueName: "dir"))
    var output: String?

    @Flag(help: "Continue the run in --output from its latest checkpoint, exactly where it stopped.")
    var resume = false

    @Option(help: "Seed of every random choice of the run (run.seed).")
    var seed: UInt64?

    @Option(help: "Intra-op CPU threads; 0 keeps libtorch's default, one per core (run.threads).")
    var threads: Int?

    @Option(help: ArgumentHelp("Where to compute: cpu, cuda or cuda:N (run.device).", valueName: "device"))
    var device: String?

    @Option(
        help: ArgumentHelp(
            "Forward-pass arithmetic: fp32; bf16 (autocast to bfloat16, CPU and GPU) or fp16 (autocast with loss scaling, GPU); weights stay float32 (run.precision).",
            valueName: "precision"))
    var precision: String?

    func validate() throws {
        if let precision, Precision(rawValue: precision) == nil {
            throw ValidationError("--precision must be fp32, bf16 or fp16, got '\(precision)'")
        }
        if let threads, threads < 0 { throw ValidationError("--threads must be ≥ 0 (0: libtorch's default)") }
        if let device, Device(parsing: device) == nil {
            throw ValidationError("--device must be cpu, cuda or cuda:N, got '\(device)'")
        }
    }

    /// The typed flags as overrides of the `run` section, then the `--set` ones, over `presets` (a
    /// command's own default layers).
    func sources(presets: [(text: String, source: String)] = []) -> ConfigSources {
        var flags: [String] = []
        if let seed { flags.append("run.seed=\(seed)") }
        if let threads { flags.append("run.threads=\(threads)") }
        if let device { flags.append("run.device=\(device)") }
        if let precision { flags.append("run.precision=\(precision)") }
        if let output { flags.append("run.output=\(output)") }
        return ConfigSources(file: configFile.file, overrides: flags + configFile.overrides, resume: resume, presets: presets)
    }

    /// The resolved, validated config (over `presets`, a command's own defaults); its problems,
    /// all of them, as a usage error.
    func resolve<Config: RunConfig>(_ type: Config.Type, presets: [(text: String, source: String)] = []) throws -> Config {
        do {
            return try Config.resolve(sources(presets: presets))
        } catch {
            throw ValidationError(error.description)
        }
    }
}
