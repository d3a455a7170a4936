/// A part of a run configuration (a `Codable` struct whose every field has a documented default)
/// that checks its own values.
///
/// ```swift
/// public struct OptimConfig: ConfigSection {
///     /// Peak learning rate (MoSI §4.1: 0.001 for Adam).
///     public var lr = 0.001
///     public var weightDecay = 1e-4
///     public init() {}
///     public func validate(_ problems: inout ConfigProblems) {
///         problems.check(lr > 0, "lr", "must be positive, got \(lr)")
///     }
/// }
/// ```
///
/// Give every field a concrete default: a `nil` optional is left out when the defaults are
/// encoded, so its key could not be set from a file or `--set`. Prefer nested structs to
/// dictionaries: a dictionary's keys are fixed by its default like a struct's.
public protocol ConfigSection: Codable, Sendable {
    /// Records every invalid value (keys relative to this section); the default records none.
    func validate(_ problems: inout ConfigProblems)
}

extension ConfigSection {
    public func validate(_ problems: inout ConfigProblems) {}
}

/// The problems found in a configuration, each tied to its dotted key, so one error can list
/// them all (the user fixes everything in one go instead of one complaint per run).
public struct ConfigProblems: Sendable {
    /// "key: message" lines in the order found.
    public private(set) var messages: [String] = []
    private var prefix = ""

    public init() {}

    /// Records that `key` (relative to the current section) is wrong.
    public mutating func add(_ key: String, _ message: String) {
        messages.append(prefix + key + ": " + message)
    }

    /// Records the problem unless `condition` holds.
    public mutating func check(_ condition: Bool, _ key: String, _ message: @autoclosure () -> String) {
        if !condition { add(key, message()) }
    }

    /// Validates a nested section under `key` (its keys are reported as `key.field`).
    public mutating func validate(_ section: some ConfigSection, at key: String) {
        var nested = ConfigProblems()
        nested.prefix = prefix + key + "."
        section.validate(&nested)
        messages += nested.messages
    }

    /// Records a problem that belongs to no single key (a file that cannot be read).
    mutating func add(_ message: String) {
        messages.append(message)
    }

    mutating func append(_ other: ConfigProblems) {
        messages += other.messages
    }

    /// Throws one ``ConfigError`` listing every problem, if there are any.
    func throwIfAny() throws(ConfigError) {
        if !messages.isEmpty { throw ConfigError(problems: messages) }
    }
}

/// A configuration that cannot be used, with every problem found in it.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// One "key: what is wrong" line per problem.
    public let problems: [String]
    /// Where the configuration came from, in order (config files, "--set"), so the message names
    /// the file to fix; empty when unknown.
    public let sources: [String]

    public init(problems: [String], sources: [String] = []) {
        self.problems = problems
        self.sources = sources
    }

    public var description: String {
        let title = "invalid configuration" + (sources.isEmpty ? "" : " from " + sources.joined(separator: " + "))
        return problems.count == 1
            ? "\(title): \(problems[0])"
            : "\(title) (\(problems.count) problems):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
