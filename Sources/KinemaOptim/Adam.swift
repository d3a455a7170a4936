import Foundation
import KinemaTensor

/// Adam with L2 weight decay added to the gradient (`torch.optim.Adam`); MoSI's optimizer.
public typealias Adam = GroupedOptimizer<AdamUpdate>

/// Adam with decoupled weight decay (`torch.optim.AdamW`; Loshchilov & Hutter 2019);
/// VideoMAE's optimizer.
public typealias AdamW = GroupedOptimizer<AdamWUpdate>

/// The hyper-parameters of Adam and AdamW, with PyTorch's names and checks.
public struct AdamOptions: OptimizerOptions {
    public var learningRate: Double
    /// β₁, the decay of the running mean of gradients.
    public var beta1: Double
    /// β₂, the decay of the running mean of squared gradients.
    public var beta2: Double
    /// Added to the denominator for numerical stability.
    public var epsilon: Double
    /// Adam: L2 penalty added to the gradient. AdamW: decoupled decay of the weights by
    /// `lr · weightDecay` per step.
    public var weightDecay: Double
    /// AMSGrad: normalise by the running maximum of the second moment.
    public var amsgrad: Bool
    /// Ascends instead of descending.
    public var maximize: Bool

    /// PyTorch's defaults, except that AdamW's default weight decay is 1e-2 (pass it).
    public init(
        learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false
    ) {
        self.learningRate = learningRate
        self.beta1 = betas.0
        self.beta2 = betas.1
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.maximize = maximize
    }

    public func validate() throws(OptimizerError) {
        var problems: [String] = []
        if !(learningRate >= 0) { problems.append("invalid learning rate \(learningRate) (must be ≥ 0)") }
        if !(epsilon >= 0) { problems.append("invalid epsilon \(epsilon) (must be ≥ 0)") }
        if !(beta1 >= 0 && beta1 < 1) { problems.append("invalid beta1 \(beta1) (must be in [0, 1))") }
        if !(beta2 >= 0 && beta2 < 1) { problems.append("invalid beta2 \(beta2) (must be in [0, 1))") }
        if !(weightDecay >= 0) { problems.append("invalid weight decay \(weightDecay) (must be ≥ 0)") }
        if !problems.isEmpty { throw OptimizerError(problems) }
    }

    public func write(into stateDict: inout [String: Tensor], prefix: String) {
        stateDict[prefix + "lr"] = .hyperparameter(learningRate)
        stateDict[prefix + "betas"] = Tensor([beta1, beta2])
        stateDict[prefix + "eps"] = .hyperparameter(epsilon)
        stateDict[prefix + "weight_decay"] = .hyperparameter(weightDecay)
        stateDict[prefix + "amsgrad"] = .hyperparameter(amsgrad)
        stateDict[prefix + "maximize"] = .hyperparameter(maximize)
    }

    public mutating func read(from reader: inout StateDictReader, prefix: String) {
        learningRate = reader.number(prefix + "lr") ?? learningRate
        if let betas = reader.numbers(prefix + "betas", count: 2) {
            beta1 = betas[0]
            beta2 = betas[1]
        }
        epsilon = reader.number(prefix + "eps") ?? epsilon
        weightDecay = reader.number(prefix + "weight_decay") ?? weightDecay
        amsgrad = reader.flag(prefix + "amsgrad") ?? amsgrad
        maximize = reader.flag(prefix + "maximize") ?? maximize
    }
}

/// Adam's per-parameter state: the step count and the moment estimates.
public struct AdamState: ParameterState {
    /// Steps taken by this parameter (PyTorch's `state["step"]`).
    public var step: Int
    /// Running mean of gradients (`exp_avg`).
    public let expAvg: Tensor
    /// Running mean of squared gradients (`exp_avg_sq`).
    public let expAvgSq: Tensor
    /// Running maximum of `expAvgSq` (`max_exp_avg_sq`), with AMSGrad only.
    public var maxExpAvgSq: Tensor?

    public func stateTensors() -> [String: Tensor] {
        // PyTorch keeps `step` as a float32 scalar on the CPU; so do we, for the same layout.
        var tensors = ["step": Tensor(scalar: Float(step)), "exp_avg": expAvg, "exp_avg_sq": expAvgSq]
        tensors["max_exp_avg_sq"] = maxExpAvgSq
        return tensors
    }

    public static func read(from reader: inout StateDictReader, prefix: String, parameter: Tensor, name: String) -> Self? {
        let step = reader.count(prefix + "step")
        let expAvg = reader.stateTensor(prefix + "exp_avg", like: parameter, name: name)
        let expAvgSq = reader.stateTensor(prefix + "exp_avg_sq", like: parameter, name: name)
        let maxExpAvgSq = reader.optionalStateTensor(prefix + "max_exp_avg_sq", like: parameter, name: name)
        guard let step, let expAvg, let expAvgSq else { return nil }
        return AdamState(step: step, expAvg: expAvg, expAvgSq: expAvgSq, maxExpAvgSq: maxExpAvgSq)
    }
}

/// Adam (`torch.optim.Adam`): weight decay is an L2 term added to the gradient.
public enum AdamUpdate: UpdateRule {
    public static let name = "Adam"
    public static var groupFlags: [String: Bool] { ["decoupled_weight_decay": false] }

    public static func initialState(for parameter: Tensor, options: AdamOptions) -> AdamState {
        AdamState.zeros(like: parameter, amsgrad: options.amsgrad)
    }

    public static func update(_ parameter: Tensor, gradient: Tensor, state: inout AdamState, options: AdamOptions) {
        AdamState.update(parameter, gradient: gradient, state: &state, options: options, decoupledWeightDecay: false)
    }

    public static func fusedUpdate(_ parameters: [Tensor], gradients: [Tensor], states: inout [AdamState], options: AdamOptions) -> Bool {
        AdamState.fusedUpdate(parameters, gradients: gradients, states: &states, options: options, kernel: OptimOps.fusedAdam)
    }
}

/// AdamW (`torch.optim.AdamW`): weights decay by `lr · weightDecay` before the Adam step.
public enum AdamWUpdate: UpdateRule {
    public static let name = "AdamW"
    public static var groupFlags: [String: Bool] { ["decoupled_weight_decay": true] }

    public static func initialState(for parameter: Tensor, options: AdamOptions) -> AdamState {
        AdamState.zeros(like: parameter, amsgrad: options.amsgrad)
    }

    public static func update(_ parameter: Tensor, gradient: Tensor, state: inout AdamState, options: AdamOptions) {
        AdamState.update(parameter, gradient: gradient, state: &state, options: options, decoupledWeightDecay: true)
    }

    public static func fusedUpdate(_ parameters: [Tensor], gradients: [Tensor], states: inout [AdamState], options: AdamOptions) -> Bool {
        AdamState.fusedUpdate(parameters, gradients: gradients, states: &states, options: options, kernel: OptimOps.fusedAdamW)
    }
}

extension AdamState {
    static func zeros(like parameter: Tensor, amsgrad: Bool) -> AdamState {
        AdamState(
            step: 0, expAvg: parameter.zerosLike(), expAvgSq: parameter.zerosLike(),
            maxExpAvgSq: amsgrad ? parameter.zerosLike() : nil)
    }

    /// The Adam step of `torch/optim/adam.py` (`_single_tensor_adam`, neither capturable nor
    /// differentiable), operation for operation and with the same Python-float scalars:
    ///
    ///     t ← t + 1
    ///     θ ← θ·(1 − lr·λ)   (decoupled)   or   g ← g + λ·θ   (L2)
    ///     m ← lerp(m, g, 1 − β₁);   v ← β₂·v + (1 − β₂)·g²;   v̂ ← max(v̂, v) (AMSGrad)
    ///     θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
    static func update(
        _ parameter: Tensor, gradient: Tensor, state: inout AdamState, options: AdamOptions,
        decoupledWeightDecay: Bool
    ) {
        var direction = options.maximize ? gradient.negated() : gradient
        state.step += 1
        if options.weightDecay != 0 {
            if decoupledWeightDecay {
                parameter.multiplyInPlace(1 - options.learningRate * options.weightDecay)
            } else {
                direction = direction.add(parameter, alpha: options.weightDecay)
            }
        }
        state.expAvg.lerpInPlace(direction, weight: 1 - options.beta1)
        state.expAvgSq.multiplyInPlace(options.beta2)
        state.expAvgSq.addcmulInPlace(direction, direction, value: 1 - options.beta2)

        let step = Double(state.step)
        let biasCorrection1 = 1 - pow(options.beta1, step)
        let biasCorrection2 = 1 - pow(options.beta2, step)
        let stepSize = options.learningRate / biasCorrection1
        // Python's `bias_correction2 ** 0.5` is C's pow, which may differ from sqrt in the last bit.
        let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)

        var secondMoment = state.expAvgSq
        if options.amsgrad {
            // A state saved without AMSGrad starts its maximum from zero, as a fresh one would.
            let maximum = state.maxExpAvgSq ?? parameter.zerosLike()
            maximum.copyInPlace(from: maximum.maximum(state.expAvgSq))
            state.maxExpAvgSq = maximum
            secondMoment = maximum
        }
        let denominator = secondMoment.sqrt() / biasCorrection2Sqrt
        denominator.addScalarInPlace(options.epsilon)
        parameter.addcdivInPlace(state.expAvg, denominator, value: -stepSize)
    }

    /// The whole group's Adam step in one libtorch kernel (`_fused_adam_` / `_fused_adamw_`, what
    /// `torch.optim.Adam(fused=True)` calls). The kernel reads each parameter's step count from a
    /// float32 scalar on the parameter's device; it is filled there from the count kept here, so
    /// the step needs no copy from the host.
    static func fusedUpdate(
        _ parameters: [Tensor], gradients: [Tensor], states: inout [AdamState], options: AdamOptions, kernel: TorchOp
    ) -> Bool {
        guard fusible(parameters + gradients) else { return false }
        if options.amsgrad {
            for i in states.indices where states[i].maxExpAvgSq == nil { states[i].maxExpAvgSq = parameters[i].zerosLike() }
        }
        for i in states.indices { states[i].step += 1 }
        let device = parameters[0].device
        let steps = states.map { Tensor.full([], Double($0.step), dtype: .float32, device: device) }
        orTrap {
            try kernel.call(
                .tensors(parameters), .tensors(gradients), .tensors(states.map(\.expAvg)), .tensors(states.map(\.expAvgSq)),
                .tensors(options.amsgrad ? states.compactMap(\.maxExpAvgSq) : []), .tensors(steps),
                .double(options.learningRate), .double(options.beta1), .double(options.beta2), .double(options.weightDecay),
                .double(options.epsilon), .bool(options.amsgrad), .bool(options.maximize), .none, .none
            ) { _ in }
        }
        return true
    }
}

extension Tensor {
    /// `self += value` (`add_` with a Python number), which Tensor+InPlace does not offer.
    fileprivate func addScalarInPlace(_ value: Double) {
        _ = orTrap { try OptimOps.addScalarInPlace.call(.tensor(self), .double(value)) }
    }
}

private enum OptimOps {
    static let addScalarInPlace = TorchOp("aten::add_", "Scalar")
    static let fusedAdam = TorchOp("aten::_fused_adam_")
    static let fusedAdamW = TorchOp("aten::_fused_adamw_")
}

extension GroupedOptimizer where Rule == AdamUpdate {
    /// `torch.optim.Adam(parameters, lr=…, betas=…, …)`: one group.
    public convenience init(
        _ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        epsilon: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(
            parameters,
            options: AdamOptions(
                learningRate: learningRate, betas: betas, epsilon: epsilon, weightDecay: weightDecay,
                amsgrad: amsgrad, maximize: maximize))
    }
}

extension GroupedOptimizer where Rule == AdamWUpdate {
    /// `torch.optim.AdamW(parameters, lr=…, betas=…, …)`: one group (weight decay 1e-2 by default).
    public convenience init(
        _ parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        epsilon: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(
            parameters,
            options: AdamOptions(
                learningRate: learningRate, betas: betas, epsilon: epsilon, weightDecay: weightDecay,
                amsgrad: amsgrad, maximize: maximize))
    }
}
