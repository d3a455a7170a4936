import KinemaTensor

/// An optimizer over parameter groups, applying one ``UpdateRule`` (SGD, Adam, AdamW, …) with
/// each group's own hyper-parameters, like `torch.optim.Optimizer`.
///
/// ```swift
/// // No weight decay on biases and norms, as VideoMAE does (or build the groups by hand):
/// let optimizer = try AdamW(groups: ParameterGroup.grouping(
///     model.namedParameters(), options: AdamOptions(learningRate: 1e-3, weightDecay: 0.05)))
/// loss.backward()
/// optimizer.step()
/// optimizer.zeroGrad()
/// ```
public final class GroupedOptimizer<Rule: UpdateRule>: Optimizer {
    /// The groups, in the order given; their options change through ``setOptions(_:group:)``,
    /// ``learningRates`` and ``loadStateDict(_:)``.
    public internal(set) var groups: [ParameterGroup<Rule.Options>]
    /// Per-parameter state by parameter index; nil until a parameter's first gradient.
    var states: [Rule.State?]
    /// Steps each group with one of libtorch's fused kernels (`fused=True` in PyTorch) where the
    /// algorithm has one (SGD, Adam, AdamW): a handful of kernel launches per step instead of about
    /// ten small operations per parameter, which is what keeps a GPU busy. The results equal the
    /// single-tensor path's up to float32 rounding (the kernel orders its arithmetic differently).
    public var fused = false

    /// Throws when no group holds a parameter, when options are out of range, when a tensor is
    /// not a floating-point leaf, when a tensor appears twice, or when names do not match.
    public init(groups: [ParameterGroup<Rule.Options>]) throws(OptimizerError) {
        var problems: [String] = []
        var seen: [Tensor] = []
        for (g, group) in groups.enumerated() {
            do {
                try group.options.validate()
            } catch {
                problems += error.problems.map { "group \(g): \($0)" }
            }
            if let names = group.names, names.count != group.parameters.count {
                problems.append("group \(g) has \(group.parameters.count) parameters but \(names.count) names")
            }
            for (k, parameter) in group.parameters.enumerated() {
                let name = group.names.flatMap { k < $0.count ? "'\($0[k])'" : nil } ?? "parameter \(k)"
                if !parameter.dtype.isFloatingPoint {
                    problems.append("group \(g) \(name) has dtype \(parameter.dtype); only floating-point tensors can be optimized")
                }
                if !parameter.isLeaf {
                    problems.append("group \(g) \(name) is not a leaf tensor (computed from others); optimize its leaves")
                }
                if seen.contains(where: { $0.isSameTensor(as: parameter) }) {
                    problems.append("group \(g) \(name) appears more than once among the parameter groups")
                }
                seen.append(parameter)
            }
        }
        if seen.isEmpty { problems.append("\(Rule.name) got no parameters to optimize") }
        guard problems.isEmpty else { throw OptimizerError(problems.map { "\(Rule.name): \($0)" }) }
        self.groups = groups
        self.states = Array(repeating: nil, count: seen.count)
    }

    public var parameters: [Tensor] { groups.flatMap(\.parameters) }

    public var learningRates: [Double] {
        get { groups.map(\.options.learningRate) }
        set {
            precondition(
                newValue.count == groups.count,
                "\(Rule.name) has \(groups.count) parameter groups but was given \(newValue.count) learning rates")
            for g in groups.indices { groups[g].options.learningRate = newValue[g] }
        }
    }

    public var learningRateScales: [Double] { groups.map(\.learningRateScale) }

    /// Replaces the hyper-parameters of group `group` (throws when they are out of range).
    public func setOptions(_ options: Rule.Options, group: Int) throws(OptimizerError) {
        guard groups.indices.contains(group) else {
            throw OptimizerError("\(Rule.name) has no parameter group \(group) (it has \(groups.count))")
        }
        try options.validate()
        groups[group].options = options
    }

    public func step() {
        withNoGrad {
            var start = 0
            for group in groups {
                defer { start += group.parameters.count }
                // The parameters with a gradient (PyTorch skips the others and leaves their state).
                let present = group.parameters.indices.compactMap { k in
                    group.parameters[k].grad.map { (index: start + k, parameter: group.parameters[k], gradient: $0) }
                }
                if fused, stepFused(present, options: group.options) { continue }
                for (index, parameter, gradient) in present {
                    var state = states[index] ?? Rule.initialState(for: parameter, options: group.options)
                    Rule.update(parameter, gradient: gradient, state: &state, options: group.options)
                    states[index] = state
                }
            }
        }
    }

    /// One fused update of a group's parameters; false when the rule could not fuse them.
    private func stepFused(_ present: [(index: Int, parameter: Tensor, gradient: Tensor)], options: Rule.Options) -> Bool {
        guard !present.isEmpty else { return true }
        var groupStates = present.map { states[$0.index] ?? Rule.initialState(for: $0.parameter, options: options) }
        guard Rule.fusedUpdate(present.map(\.parameter), gradients: present.map(\.gradient), states: &groupStates, options: options)
        else { return false }
        for (entry, state) in zip(present, groupStates) { states[entry.index] = state }
        return true
    }

    public func zeroGrad(setToNone: Bool) {
        for parameter in parameters {
            if setToNone {
                parameter.grad = nil
            } else {
                parameter.grad?.zeroInPlace()
            }
        }
    }
}

extension GroupedOptimizer {
    /// An optimizer with a single group of parameters.
    public convenience init(_ parameters: [Tensor], options: Rule.Options) throws(OptimizerError) {
        try self.init(groups: [ParameterGroup(parameters, options: options)])
    }
}
