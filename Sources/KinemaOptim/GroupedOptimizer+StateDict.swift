import KinemaTensor

/// Saving and restoring an optimizer as named tensors, with PyTorch's `state_dict()` layout
/// flattened into keys:
///
///     state.<index>.<name>          per-parameter state (exp_avg, momentum_buffer, step, …)
///     param_groups.<g>.<name>       hyper-parameters (lr, weight_decay, betas, …)
///     param_groups.<g>.params       the group's parameter indices (int64)
///     param_groups.<g>.lr_scale     the group's schedule multiplier (Kinema's addition)
extension GroupedOptimizer {
    public func stateDict() -> [String: Tensor] {
        var dict: [String: Tensor] = [:]
        var index = 0
        for (g, group) in groups.enumerated() {
            let prefix = "param_groups.\(g)."
            group.options.write(into: &dict, prefix: prefix)
            for (flag, value) in Rule.groupFlags { dict[prefix + flag] = .hyperparameter(value) }
            dict[prefix + "lr_scale"] = .hyperparameter(group.learningRateScale)
            dict[prefix + "params"] = Tensor(Array(index..<(index + group.parameters.count)))
            index += group.parameters.count
        }
        for (index, state) in states.enumerated() {
            guard let state else { continue }
            for (name, tensor) in state.stateTensors() { dict["state.\(index).\(name)"] = tensor }
        }
        return dict
    }

    public func loadStateDict(_ stateDict: [String: Tensor]) throws(OptimizerError) {
        var reader = StateDictReader(stateDict)
        if let savedGroups = Self.groupCount(in: stateDict.keys), savedGroups != groups.count {
            reader.record("the state has \(savedGroups) parameter groups but this \(Rule.name) has \(groups.count)")
        }
        var loadedGroups = groups
        var loadedStates = [Rule.State?](repeating: nil, count: states.count)
        var index = 0
        for (g, group) in groups.enumerated() {
            let prefix = "param_groups.\(g)."
            loadedGroups[g].options.read(from: &reader, prefix: prefix)
            for (flag, value) in Rule.groupFlags.sorted(by: { $0.key < $1.key }) {
                if let saved = reader.flag(prefix + flag), saved != value {
                    reader.record("\(prefix)\(flag) is \(saved) but \(Rule.name) needs \(value): the state is another optimizer's")
                }
            }
            if let scale = reader.number(prefix + "lr_scale") { loadedGroups[g].learningRateScale = scale }
            let expected = Array(index..<(index + group.parameters.count))
            if let saved = reader.integers(prefix + "params"), saved != expected {
                reader.record("\(prefix)params is \(saved) but this optimizer's group \(g) holds parameters \(expected)")
            }
            do {
                try loadedGroups[g].options.validate()
            } catch {
                for problem in error.problems { reader.record("\(prefix)*: \(problem)") }
            }
            for (k, parameter) in group.parameters.enumerated() {
                let statePrefix = "state.\(index)."
                if reader.contains(prefix: statePrefix) {
                    let name = group.names.map { "parameter \(index) ('\($0[k])')" } ?? "parameter \(index)"
                    loadedStates[index] = Rule.State.read(
                        from: &reader, prefix: statePrefix, parameter: parameter, name: name)
                }
                index += 1
            }
        }
        let unexpected = reader.unusedKeys
        if !unexpected.isEmpty {
            reader.record("unexpected keys for \(Rule.name): \(unexpected.joined(separator: ", "))")
        }
        guard reader.problems.isEmpty else {
            throw OptimizerError(["\(Rule.name) cannot load this state:"] + reader.problems)
        }
        groups = loadedGroups
        states = loadedStates
    }

    /// One more than the largest `param_groups.<g>` index among `keys`, or nil when there is none.
    private static func groupCount(in keys: some Sequence<String>) -> Int? {
        let indices = keys.compactMap { key -> Int? in
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3, parts[0] == "param_groups" else { return nil }
            return Int(parts[1])
        }
        return indices.max().map { $0 + 1 }
    }
}
