import KinemaTensor

/// What a training loop needs from an optimizer, whatever its update rule: step, clear
/// gradients, drive learning rates, and save and restore state for an exact resume.
///
/// ``SGD``, ``Adam`` and ``AdamW`` conform (all are ``GroupedOptimizer``s), so a trainer can
/// hold `any Optimizer`.
public protocol Optimizer: AnyObject {
    /// Every optimized tensor, group by group: the index of a tensor here is its index in
    /// ``stateDict()`` keys (`state.<index>.…`), as in PyTorch.
    var parameters: [Tensor] { get }

    /// The learning rate of each parameter group, in group order. Schedules set these every
    /// step (see ``LearningRateScheduler``); setting a different number of rates is a
    /// programmer error and traps.
    var learningRates: [Double] { get set }

    /// Each group's multiplier for schedule values (layer-wise learning-rate decay); 1 for
    /// ordinary groups.
    var learningRateScales: [Double] { get }

    /// Whether ``step()`` updates each parameter group with one of libtorch's fused kernels
    /// (PyTorch's `fused=True`) where the algorithm has one; equal to the single-tensor path up to
    /// float32 rounding. Trainers turn it on for GPUs.
    var fused: Bool { get set }

    /// Updates every parameter that has a gradient, in place and without recording autograd
    /// history (`optimizer.step()`). Parameters without a gradient are skipped and their state
    /// is left untouched.
    func step()

    /// Clears the gradients of every parameter: removes them (`setToNone`, PyTorch's default)
    /// or fills them with zeros.
    func zeroGrad(setToNone: Bool)

    /// The optimizer's state as named tensors, for a checkpoint: per-parameter state under
    /// `state.<index>.<name>` (PyTorch's names: `exp_avg`, `momentum_buffer`, …) and each
    /// group's hyper-parameters under `param_groups.<group>.<name>` (`lr`, `weight_decay`, …).
    ///
    /// State tensors are returned by reference, as PyTorch's `state_dict()` does: save them
    /// before the next ``step()``.
    func stateDict() -> [String: Tensor]

    /// Restores a ``stateDict()``: copies the per-parameter state and, like PyTorch's
    /// `load_state_dict`, replaces every group's hyper-parameters with the saved ones. Nothing
    /// changes unless the whole dictionary fits this optimizer: every missing or unexpected
    /// key and every shape mismatch is reported in one ``OptimizerError``.
    func loadStateDict(_ stateDict: [String: Tensor]) throws(OptimizerError)
}

extension Optimizer {
    /// Removes every parameter's gradient (`zero_grad()` with PyTorch's default `set_to_none`).
    public func zeroGrad() { zeroGrad(setToNone: true) }
}

/// An optimizer was configured with invalid values, or given state that does not fit it.
public struct OptimizerError: Error, CustomStringConvertible, Sendable {
    /// Every problem found, one sentence each.
    public let problems: [String]

    public init(_ problems: [String]) {
        self.problems = problems
    }

    public init(_ problem: String) {
        self.problems = [problem]
    }

    public var description: String {
        problems.count == 1 ? problems[0] : problems.map { "- \($0)" }.joined(separator: "\n")
    }
}
