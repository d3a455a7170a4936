/// What loading a state dict found: every key the model has but the dict lacks, every key the
/// dict has but the model lacks, and every tensor whose shape differs.
public struct StateDictReport: Sendable, Equatable, CustomStringConvertible {
    /// A tensor present on both sides with different shapes.
    public struct ShapeMismatch: Sendable, Equatable {
        public let key: String
        /// The shape in the loaded state dict (the checkpoint).
        public let loaded: [Int]
        /// The shape in the model.
        public let expected: [Int]

        public init(key: String, loaded: [Int], expected: [Int]) {
            self.key = key
            self.loaded = loaded
            self.expected = expected
        }
    }

    /// Model keys the state dict does not have, in the model's registration order.
    public var missingKeys: [String] = []
    /// State-dict keys the model does not have, sorted.
    public var unexpectedKeys: [String] = []
    public var shapeMismatches: [ShapeMismatch] = []

    /// True when every key matched with the right shape.
    public var isClean: Bool { missingKeys.isEmpty && unexpectedKeys.isEmpty && shapeMismatches.isEmpty }

    /// One line per kind of problem, PyTorch's wording ("Missing key(s) …, size mismatch for …").
    public var description: String {
        if isClean { return "all keys matched" }
        var lines: [String] = []
        if !missingKeys.isEmpty {
            lines.append(
                "Missing key(s) (\(missingKeys.count)): " + missingKeys.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        if !unexpectedKeys.isEmpty {
            lines.append(
                "Unexpected key(s) (\(unexpectedKeys.count)): "
                    + unexpectedKeys.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        for m in shapeMismatches {
            lines.append(
                "size mismatch for \(m.key): copying a tensor of shape \(m.loaded) from the state dict, "
                    + "the shape in the current model is \(m.expected)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Strict loading found problems; ``report`` lists all of them, and nothing was loaded.
public struct StateDictError: Error, Sendable, CustomStringConvertible {
    public let report: StateDictReport

    public var description: String {
        "Error(s) in loading state_dict:\n"
            + report.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }
}

extension ParameterPath {
    /// Copies `stateDict` (names relative to this path, as ``stateDict()`` writes them) into the
    /// registered tensors, converting dtype and device as `copy_` does; the model's tensors keep
    /// their identity.
    ///
    /// Strict loading (the default) checks first and throws a ``StateDictError`` listing *every*
    /// missing key, unexpected key and shape mismatch; then nothing is copied, unlike PyTorch,
    /// which may have copied part of it. With `strict: false` the matching tensors are copied and
    /// the report of the rest is returned. (PyTorch raises on shape mismatches even when not
    /// strict; here they are skipped and reported, so a classifier head of another size can be
    /// left at its initial values.)
    @discardableResult
    public func loadStateDict(_ stateDict: [String: Tensor], strict: Bool = true) throws(StateDictError)
        -> StateDictReport
    {
        let own = entries()
        var report = StateDictReport()
        var matched: [(target: Tensor, source: Tensor)] = []
        for (name, target) in own {
            guard let source = stateDict[name] else {
                report.missingKeys.append(name)
                continue
            }
            if source.shape != target.shape {
                report.shapeMismatches.append(.init(key: name, loaded: source.shape, expected: target.shape))
            } else {
                matched.append((target, source))
            }
        }
        let ownNames = Set(own.map(\.name))
        report.unexpectedKeys = stateDict.keys.filter { !ownNames.contains($0) }.sorted()
        if strict && !report.isClean { throw StateDictError(report: report) }
        withNoGrad {
            for (target, source) in matched { target.copyInPlace(from: source) }
        }
        return report
    }
}
