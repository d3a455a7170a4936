import KinemaTensor

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay:
/// `torch.optim.SGD`.
public typealias SGD = GroupedOptimizer<SGDUpdate>

/// SGD's hyper-parameters, with PyTorch's defaults and checks.
public struct SGDOptions: OptimizerOptions {
    public var learningRate: Double
    public var momentum: Double
    /// Scales the new gradient's share of the momentum buffer by `1 - dampening`.
    public var dampening: Double
    /// L2 penalty: adds `weightDecay * parameter` to the gradient.
    public var weightDecay: Double
    /// Nesterov momentum (needs momentum > 0 and no dampening).
    public var nesterov: Bool
    /// Ascends instead of descending.
    public var maximize: Bool

    public init(
        learningRate: Double = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
        nesterov: Bool = false, maximize: Bool = false
    ) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.maximize = maximize
    }

    public func validate() throws(OptimizerError) {
        var problems: [String] = []
        if !(learningRate >= 0) { problems.append("invalid learning rate \(learningRate) (must be ≥ 0)") }
        if !(momentum >= 0) { problems.append("invalid momentum \(momentum) (must be ≥ 0)") }
        if !(weightDecay >= 0) { problems.append("invalid weight decay \(weightDecay) (must be ≥ 0)") }
        if !dampening.isFinite { problems.append("invalid dampening \(dampening)") }
        if nesterov && (momentum <= 0 || dampening != 0) {
            problems.append("Nesterov momentum requires a momentum and zero dampening")
        }
        if !problems.isEmpty { throw OptimizerError(problems) }
    }

    public func write(into stateDict: inout [String: Tensor], prefix: String) {
        stateDict[prefix + "lr"] = .hyperparameter(learningRate)
        stateDict[prefix + "momentum"] = .hyperparameter(momentum)
        stateDict[prefix + "dampening"] = .hyperparameter(dampening)
        stateDict[prefix + "weight_decay"] = .hyperparameter(weightDecay)
        stateDict[prefix + "nesterov"] = .hyperparameter(nesterov)
        stateDict[prefix + "maximize"] = .hyperparameter(maximize)
    }

    public mutating func read(from reader: inout StateDictReader, prefix: String) {
        learningRate = reader.number(prefix + "lr") ?? learningRate
        momentum = reader.number(prefix + "momentum") ?? momentum
        dampening = reader.number(prefix + "dampening") ?? dampening
        weightDecay = reader.number(prefix + "weight_decay") ?? weightDecay
        nesterov = reader.flag(prefix + "nesterov") ?? nesterov
        maximize = reader.flag(prefix + "maximize") ?? maximize
    }
}

/// SGD's per-parameter state: the momentum buffer, made at the first step with momentum.
public struct SGDState: ParameterState {
    public var momentumBuffer: Tensor?

    public func stateTensors() -> [String: Tensor] {
        momentumBuffer.map { ["momentum_buffer": $0] } ?? [:]
    }

    public static func read(from reader: inout StateDictReader, prefix: String, parameter: Tensor, name: String) -> Self? {
        SGDState(momentumBuffer: reader.optionalStateTensor(prefix + "momentum_buffer", like: parameter, name: name))
    }
}

/// The SGD step of `torch/optim/sgd.py` (`_single_tensor_sgd`), operation for operation:
///
///     g ← ∇ (negated when maximizing) + λ·θ
///     b ← g at the first step, else μ·b + (1 − τ)·g
///     g ← g + μ·b (Nesterov) or b
///     θ ← θ − lr·g
public enum SGDUpdate: UpdateRule {
    public static let name = "SGD"

    public static func initialState(for parameter: Tensor, options: SGDOptions) -> SGDState {
        SGDState(momentumBuffer: nil)
    }

    public static func update(_ parameter: Tensor, gradient: Tensor, state: inout SGDState, options: SGDOptions) {
        var direction = options.maximize ? gradient.negated() : gradient
        if options.weightDecay != 0 {
            direction = direction.add(parameter, alpha: options.weightDecay)
        }
        if options.momentum != 0 {
            let buffer: Tensor
            if let existing = state.momentumBuffer {
                existing.multiplyInPlace(options.momentum)
                existing.addInPlace(direction, alpha: 1 - options.dampening)
                buffer = existing
            } else {
                buffer = direction.detached().copied()
                state.momentumBuffer = buffer
            }
            direction = options.nesterov ? direction.add(buffer, alpha: options.momentum) : buffer
        }
        parameter.addInPlace(direction, alpha: -options.learningRate)
    }

    /// The group's SGD step in one libtorch kernel (`_fused_sgd_`, what `torch.optim.SGD(fused=True)`
    /// calls). With momentum the kernel either starts every buffer (the first step) or continues
    /// every buffer, so a group whose parameters started at different steps is not fused.
    public static func fusedUpdate(_ parameters: [Tensor], gradients: [Tensor], states: inout [SGDState], options: SGDOptions) -> Bool {
        guard fusible(parameters + gradients) else { return false }
        let momentum = options.momentum != 0
        let started = states.filter { $0.momentumBuffer != nil }.count
        let firstStep = momentum && started == 0
        guard !momentum || firstStep || started == states.count else { return false }
        if firstStep {
            for i in states.indices { states[i].momentumBuffer = gradients[i].zerosLike() }
        }
        orTrap {
            try SGDOps.fused.call(
                .tensors(parameters), .tensors(gradients), .tensors(momentum ? states.compactMap(\.momentumBuffer) : []),
                .double(options.weightDecay), .double(options.momentum), .double(options.learningRate),
                .double(options.dampening), .bool(options.nesterov), .bool(options.maximize), .bool(firstStep), .none, .none
            ) { _ in }
        }
        return true
    }
}

private enum SGDOps {
    static let fused = TorchOp("aten::_fused_sgd_")
}

extension GroupedOptimizer where Rule == SGDUpdate {
    /// `torch.optim.SGD(parameters, lr=…, momentum=…, …)`: one group.
    public convenience init(
        _ parameters: [Tensor], learningRate: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(
            parameters,
            options: SGDOptions(
                learningRate: learningRate, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
                nesterov: nesterov, maximize: maximize))
    }
}
