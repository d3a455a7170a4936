import Foundation
internal import Yams
import KinemaFiles

/// The typed configuration of a training run: a `Codable` struct of nested ``ConfigSection``s
/// whose every field has a documented default, with a ``RunSettings`` section under `run`.
/// Declaring one gives loading, overriding, validation and writing for free:
///
/// ```swift
/// public struct MoSIConfig: RunConfig {
///     public var run = RunSettings()
///     public var optim = OptimConfig()        // a ConfigSection
///     /// Training steps.
///     public var steps = 10_000
///     public init() {}
///     public func validate(_ problems: inout ConfigProblems) {
///         problems.validate(optim, at: "optim")
///         problems.check(steps > 0, "steps", "must be positive, got \(steps)")
///     }
/// }
///
/// // defaults ← mosi.yaml (any subset of keys) ← overrides, checked, all problems in one error:
/// let config = try MoSIConfig.resolve(file: URL(fileURLWithPath: "mosi.yaml"), overrides: ["optim.lr=1e-3"])
/// try config.write(to: folder.appendingPathComponent("config.yaml"))
/// ```
///
/// Keys are the Swift property names (`optim.weightDecay`). A file or override value must have
/// the type of the default it replaces (an integer may stand for a floating-point number);
/// unknown keys are rejected with the valid ones listed.
public protocol RunConfig: ConfigSection {
    /// The defaults.
    init()
    /// Seed, device, threads, output folder and checkpoint cadence.
    var run: RunSettings { get set }
    /// Dotted keys (a section's name covers all its keys) that may differ from the saved config
    /// when a run is resumed; any other difference is an error, because the resumed run would not
    /// continue the same training. Defaults to ``RunSettings/changeableOnResume``.
    static var keysChangeableOnResume: [String] { get }
}

extension RunSettings {
    /// The `run` keys a resumed run may change: where and how fast it runs, not what it computes
    /// (the seed is not among them).
    public static let changeableOnResume = [
        "run.device", "run.threads", "run.dataWorkers", "run.output", "run.checkpointEvery", "run.keepCheckpointEvery",
        "run.tensorBoard", "run.distributedTimeout", "run.distributedBackend", "run.nonFinite", "run.precision", "run.fusedOptimizer", "run.logEvery",
    ]
}

extension RunConfig {
    public static var keysChangeableOnResume: [String] { RunSettings.changeableOnResume }

    /// The defaults overlaid with YAML documents in order (`layers`: text and a name for
    /// problems), then with `key.path=value` overrides in order, decoded and validated. Every
    /// problem found on the way is listed in one ``ConfigError``.
    public static func resolve(layers: [(text: String, source: String)] = [], overrides: [String] = []) throws(ConfigError)
        -> Self
    {
        var problems = ConfigProblems()
        let config = merged(layers: layers, overrides: overrides, &problems)
        if let config { problems.append(config.problems) }
        guard let config, problems.messages.isEmpty else {
            throw ConfigError(problems: problems.messages, sources: layers.map(\.source) + (overrides.isEmpty ? [] : ["--set"]))
        }
        return config
    }

    /// The defaults overlaid with `layers` and `overrides`, not validated; nil when the result
    /// does not decode. Type and key problems go to `problems`.
    static func merged(layers: [(text: String, source: String)], overrides: [String], _ problems: inout ConfigProblems)
        -> Self?
    {
        var tree: ConfigTree
        do {
            tree = try ConfigTree(encoding: Self())
        } catch {
            problems.add("the defaults of \(Self.self) cannot be encoded: \(error)")
            return nil
        }
        for layer in layers { tree.merge(yaml: layer.text, source: layer.source, &problems) }
        for override in overrides { tree.assign(override, &problems) }
        return tree.decode(Self.self, &problems)
    }

    /// The defaults overlaid with a YAML (or JSON) file, if given, then with overrides; see
    /// ``resolve(layers:overrides:)``.
    public static func resolve(file: URL?, overrides: [String] = []) throws(ConfigError) -> Self {
        guard let file else { return try resolve(overrides: overrides) }
        return try resolve(layers: [try readLayer(file)], overrides: overrides)
    }

    /// Reads a YAML file as a layer for ``resolve(layers:overrides:)``.
    public static func readLayer(_ file: URL) throws(ConfigError) -> (text: String, source: String) {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ConfigError(problems: ["\(file.path): no such config file (check the --config path)"])
        }
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw ConfigError(problems: ["cannot read the config file \(file.path): \(error.localizedDescription)"])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(problems: ["\(file.path) is not UTF-8 text: save it as UTF-8 (YAML's encoding)"])
        }
        return (text, file.path)
    }

    /// Every invalid value: `run` and the config's own ``ConfigSection/validate(_:)``.
    public var problems: ConfigProblems {
        var problems = ConfigProblems()
        problems.validate(run, at: "run")
        validate(&problems)
        return problems
    }

    /// Throws one ``ConfigError`` listing every invalid value, if any.
    public func validated() throws(ConfigError) -> Self {
        try problems.throwIfAny()
        return self
    }

    /// The config as YAML, keys in declaration order.
    public func yaml() throws -> String {
        try ConfigTree(encoding: self).yaml()
    }

    /// The config as pretty, key-sorted JSON.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Writes the config atomically as JSON when `url` ends in `.json`, as YAML otherwise.
    public func write(to url: URL) throws {
        let text = url.pathExtension.lowercased() == "json" ? try json() : try yaml()
        try AtomicFile.write(Data(text.utf8), to: url)
    }

    /// The keys whose values differ from `other`'s, as "key: old → new" (`other`'s value first).
    public func changes(from other: Self) throws -> [String] {
        try differences(from: other).map { "\($0.key): \($0.change)" }
    }

    /// The changes from `saved` that a resumed run may not make (see ``keysChangeableOnResume``).
    public func changesForbiddenOnResume(from saved: Self) throws -> [String] {
        try differences(from: saved).filter { difference in
            !Self.keysChangeableOnResume.contains { difference.key == $0 || difference.key.hasPrefix($0 + ".") }
        }.map { "\($0.key): \($0.change)" }
    }

    private func differences(from other: Self) throws -> [(key: String, change: String)] {
        try ConfigTree(encoding: other).differences(from: ConfigTree(encoding: self))
    }
}
