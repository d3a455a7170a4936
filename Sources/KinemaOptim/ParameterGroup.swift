import KinemaTensor

/// Tensors optimized with the same hyper-parameters (PyTorch's `param_groups` entry).
///
/// Groups give layer-wise learning-rate decay (each group's ``learningRateScale``) and
/// no-weight-decay groups (``OptimizerOptions/weightDecay`` 0 for biases and norms); see
/// ``grouping(_:options:learningRateScale:decays:)``.
public struct ParameterGroup<Options: OptimizerOptions> {
    /// The tensors to optimize (leaf tensors, usually with `requiresGrad`).
    public var parameters: [Tensor]
    /// The parameters' names (state-dict paths), parallel to ``parameters``, for messages;
    /// nil for anonymous tensors.
    public var names: [String]?
    public var options: Options
    /// What ``LearningRateScheduler`` multiplies the schedule's value by for this group
    /// (VideoMAE's `lr_scale`; layer-wise decay gives deeper layers larger scales).
    public var learningRateScale: Double

    public init(_ parameters: [Tensor], names: [String]? = nil, options: Options, learningRateScale: Double = 1) {
        self.parameters = parameters
        self.names = names
        self.options = options
        self.learningRateScale = learningRateScale
    }

    /// A group of named parameters (e.g. a module's `namedParameters`).
    public init(named: [(name: String, tensor: Tensor)], options: Options, learningRateScale: Double = 1) {
        self.init(named.map(\.tensor), names: named.map(\.name), options: options, learningRateScale: learningRateScale)
    }
}

extension ParameterGroup {
    /// Splits named parameters into groups that share a learning-rate scale and either have
    /// weight decay or not, in order of first appearance — the recipe of VideoMAE's
    /// `optim_factory.get_parameter_groups` (and BEiT/timm before it).
    ///
    /// - Parameters:
    ///   - learningRateScale: each parameter's scale (layer-wise decay:
    ///     `decay^(layers + 1 - layerID(name))`); 1 by default.
    ///   - decays: whether a parameter gets weight decay. The default excludes one-dimensional
    ///     tensors (biases, norm weights) and names ending in `.bias`, as VideoMAE and MoSI's
    ///     `bn_weight_decay = 0` do; pass your own to also exclude e.g. `pos_embed`.
    public static func grouping(
        _ named: [(name: String, tensor: Tensor)], options: Options,
        learningRateScale: (String) -> Double = { _ in 1 },
        decays: (String, Tensor) -> Bool = { name, tensor in tensor.rank > 1 && !name.hasSuffix(".bias") }
    ) -> [ParameterGroup] {
        var order: [GroupKey] = []
        var members: [GroupKey: [(name: String, tensor: Tensor)]] = [:]
        for entry in named {
            let key = GroupKey(scale: learningRateScale(entry.name), decays: decays(entry.name, entry.tensor))
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(entry)
        }
        return order.map { key in
            var groupOptions = options
            if !key.decays { groupOptions.weightDecay = 0 }
            return ParameterGroup(named: members[key]!, options: groupOptions, learningRateScale: key.scale)
        }
    }
}

/// What parameters of one group share in ``ParameterGroup/grouping(_:options:learningRateScale:decays:)``.
private struct GroupKey: Hashable {
    let scale: Double
    let decays: Bool
}
