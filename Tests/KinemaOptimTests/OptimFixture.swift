import KinemaOptim
import KinemaTestSupport
import Testing

/// The optimizer configurations of Tools/fixtures/gen_optim.py, built the Kinema way. Each name
/// matches the generator's; the parameters are the fixture's `init.<j>` tensors.
enum ParityConfig: String, CaseIterable, CustomTestStringConvertible {
    case sgd, sgdMomentum = "sgd_momentum", sgdNesterov = "sgd_nesterov"
    case sgdWeightDecayMaximize = "sgd_weight_decay_maximize", sgdGroups = "sgd_groups"
    case adam, adamAmsgrad = "adam_amsgrad", adamMaximize = "adam_maximize", adamw, adamwGroups = "adamw_groups"

    var testDescription: String { rawValue }

    /// Whether the generator drove the group learning rates every step (stored as `<name>.lr.<k>.<g>`).
    var isScheduled: Bool { self == .adamwGroups }

    func makeOptimizer(_ p: [Tensor]) throws -> any Optimizer {
        switch self {
        case .sgd: try SGD(p, learningRate: 0.1)
        case .sgdMomentum: try SGD(p, learningRate: 0.05, momentum: 0.9, dampening: 0.1)
        case .sgdNesterov: try SGD(p, learningRate: 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true)
        case .sgdWeightDecayMaximize: try SGD(p, learningRate: 0.1, weightDecay: 0.05, maximize: true)
        case .sgdGroups:
            try SGD(groups: [
                ParameterGroup([p[0], p[2]], options: SGDOptions(learningRate: 0.1, momentum: 0.9)),
                ParameterGroup(
                    [p[1]], options: SGDOptions(learningRate: 0.05, momentum: 0.5, weightDecay: 0.1, nesterov: true)),
            ])
        case .adam: try Adam(p, learningRate: 0.01, betas: (0.9, 0.99), epsilon: 1e-8, weightDecay: 1e-3)
        case .adamAmsgrad: try Adam(p, learningRate: 0.02, epsilon: 1e-6, amsgrad: true)
        case .adamMaximize: try Adam(p, learningRate: 0.01, maximize: true)
        case .adamw: try AdamW(p, learningRate: 0.01, betas: (0.9, 0.95), weightDecay: 0.05)
        case .adamwGroups:
            try AdamW(groups: [
                ParameterGroup([p[0]], options: AdamOptions(learningRate: 0.01, weightDecay: 0.05)),
                ParameterGroup([p[1], p[2]], options: AdamOptions(learningRate: 0.003, weightDecay: 0, amsgrad: true)),
            ])
        }
    }
}

/// Access to Tests/Fixtures/optim.safetensors.
struct OptimFixture {
    static let steps = 10
    static let parameterCount = 3

    let contents: Safetensors.Contents

    init() throws {
        contents = try fixture("optim")
    }

    func tensor(_ name: String) throws -> Tensor { try contents.tensor(name) }

    /// Fresh copies of the initial parameters, requiring gradients.
    func initialParameters() throws -> [Tensor] {
        try (0..<Self.parameterCount).map { try tensor("init.\($0)").copied().requiringGrad() }
    }

    /// Gives each parameter its gradient of step `step` (none where the generator recorded none:
    /// optimizers must skip parameters without a gradient).
    func setGradients(step: Int, on parameters: [Tensor]) throws {
        for (j, parameter) in parameters.enumerated() {
            parameter.grad = try contents.tensorUnlessAbsent("grad.\(step).\(j)")?.copied()
        }
    }

    /// The learning rates the generator used at `step` for a scheduled configuration.
    func learningRates(_ config: ParityConfig, step: Int, groups: Int) throws -> [Double] {
        try (0..<groups).map { try tensor("\(config.rawValue).lr.\(step).\($0)").item(Double.self) }
    }

    /// Runs steps `steps` of the fixture's gradient sequence (and, if scheduled, its learning rates).
    func run(_ optimizer: any Optimizer, _ config: ParityConfig, parameters: [Tensor], steps: Range<Int>) throws {
        for k in steps {
            if config.isScheduled {
                optimizer.learningRates = try learningRates(config, step: k, groups: optimizer.learningRates.count)
            }
            try setGradients(step: k, on: parameters)
            optimizer.step()
        }
    }
}
