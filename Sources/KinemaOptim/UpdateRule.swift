import KinemaTensor

/// One optimization algorithm's arithmetic: how a parameter moves given its gradient, its
/// per-parameter state and its group's hyper-parameters. ``GroupedOptimizer`` does everything
/// else (groups, lazy state, no-grad, state dicts), so a new algorithm is one small type.
public protocol UpdateRule {
    associatedtype Options: OptimizerOptions
    associatedtype State: ParameterState

    /// The algorithm's name in messages ("SGD", "AdamW").
    static var name: String { get }

    /// Group entries that identify the algorithm rather than tune it (AdamW's
    /// `decoupled_weight_decay`): written with every group and checked on load, so state from
    /// another algorithm is refused instead of silently changing the maths.
    static var groupFlags: [String: Bool] { get }

    /// The state of a parameter at its first gradient (PyTorch creates state lazily, so a
    /// parameter that never gets a gradient never has any).
    static func initialState(for parameter: Tensor, options: Options) -> State

    /// Updates `parameter` in place (autograd is off). Implementations mirror PyTorch's
    /// `_single_tensor_<algorithm>` operation for operation, so results match to rounding.
    static func update(_ parameter: Tensor, gradient: Tensor, state: inout State, options: Options)

    /// Updates all of a group's `parameters` (each with its gradient and state) with one of
    /// libtorch's fused kernels, as PyTorch's `fused=True` does; returns false, changing nothing,
    /// when the algorithm has none or these tensors do not fit it (the optimizer then calls
    /// ``update(_:gradient:state:options:)`` for each).
    static func fusedUpdate(_ parameters: [Tensor], gradients: [Tensor], states: inout [State], options: Options) -> Bool
}

extension UpdateRule {
    public static var groupFlags: [String: Bool] { [:] }

    public static func fusedUpdate(_ parameters: [Tensor], gradients: [Tensor], states: inout [State], options: Options) -> Bool {
        false
    }
}

/// Whether one fused kernel can take these tensors: libtorch's fused optimizers need every
/// tensor of a call on one device with one floating-point dtype.
func fusible(_ tensors: [Tensor]) -> Bool {
    guard let first = tensors.first else { return false }
    return first.dtype.isFloatingPoint && tensors.allSatisfy { $0.device == first.device && $0.dtype == first.dtype }
}

/// A parameter group's hyper-parameters (PyTorch's `param_groups` entries other than `params`).
public protocol OptimizerOptions: Sendable, Equatable {
    /// `lr`: what schedules drive.
    var learningRate: Double { get set }
    /// `weight_decay`: set to 0 for no-weight-decay groups (biases, norms, embeddings).
    var weightDecay: Double { get set }

    /// Throws when a value is out of range, with PyTorch's checks.
    func validate() throws(OptimizerError)

    /// Writes every hyper-parameter under `prefix` with PyTorch's names (numbers as float64
    /// scalars, flags as bool scalars).
    func write(into stateDict: inout [String: Tensor], prefix: String)

    /// Replaces every hyper-parameter with the value saved under `prefix`; records a problem
    /// in `reader` for each one missing or malformed.
    mutating func read(from reader: inout StateDictReader, prefix: String)
}

/// The state an algorithm keeps for one parameter (momentum, moment estimates, step count).
public protocol ParameterState {
    /// The state tensors by PyTorch's state names (`exp_avg`, `step`, …).
    func stateTensors() -> [String: Tensor]

    /// Reads a parameter's saved state under `prefix`, copied to the parameter's dtype and
    /// device; nil (with problems recorded in `reader`) when it does not fit `parameter`.
    /// `name` names the parameter in those problems.
    static func read(from reader: inout StateDictReader, prefix: String, parameter: Tensor, name: String) -> Self?
}
