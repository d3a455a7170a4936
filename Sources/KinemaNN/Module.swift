/// Whether a forward pass is for training or for evaluation: PyTorch's `model.train()` /
/// `model.eval()`, passed explicitly with each call instead of stored in the model.
///
/// Only layers that behave differently take it (BatchNorm: batch vs running statistics and
/// running-stat updates; Dropout and DropPath: random masks vs identity; attention dropout).
/// Passing it explicitly means a forward pass never depends on a flag someone forgot to flip,
/// and an evaluation-mode parity test says so in its call.
public enum Mode: Sendable, Hashable {
    /// As after `model.train()`.
    case train
    /// As after `model.eval()`.
    case eval
}

/// A layer: maps one tensor to another, in a ``Mode``.
///
/// Layers whose behaviour does not depend on the mode conform to ``UnaryLayer`` and can be called
/// without one (`linear(x)`); mode-dependent layers (``BatchNorm``, ``Dropout``, ``DropPath``,
/// ``Sequential``, ``MLP``) must be called with it:
///
/// ```swift
/// let y = bn(x, mode: .train)     // batch statistics, running stats updated
/// let z = bn(x, mode: .eval)      // running statistics
/// ```
public protocol Layer {
    func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor
}

/// A layer that computes the same function in training and evaluation (`Linear`, `Conv2d`,
/// `LayerNorm`, activations): callable with or without a mode.
public protocol UnaryLayer: Layer {
    func callAsFunction(_ input: Tensor) -> Tensor
}

extension UnaryLayer {
    /// The mode does not matter for this layer.
    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor { callAsFunction(input) }
}

/// Something that owns state in a ``ParameterStore``: everything registered under its ``path``.
///
/// Every module gets PyTorch's state-handling surface, with names relative to the module:
/// `stateDict()`, `loadStateDict(_:strict:)`, `namedParameters()`, `trainableParameters()`,
/// `namedBuffers()`, `freeze()`, `unfreeze()`, `parameterCount`.
public protocol Module: AnyObject {
    /// Where this module's tensors are registered.
    var path: ParameterPath { get }
}

extension Module {
    /// Parameters and buffers by relative name (`state_dict()`); see ``ParameterPath/stateDict()``.
    public func stateDict() -> [String: Tensor] { path.stateDict() }

    /// Loads a state dict, strictly by default (`load_state_dict`); see
    /// ``ParameterPath/loadStateDict(_:strict:)``.
    @discardableResult
    public func loadStateDict(_ stateDict: [String: Tensor], strict: Bool = true) throws(StateDictError)
        -> StateDictReport
    {
        try path.loadStateDict(stateDict, strict: strict)
    }

    /// Parameters (frozen ones included) by relative name, in registration order.
    public func namedParameters() -> [(name: String, tensor: Tensor)] { path.namedParameters() }

    /// Parameters that require gradients, by relative name: what an optimizer updates.
    public func trainableParameters() -> [(name: String, tensor: Tensor)] { path.trainableParameters() }

    /// Buffers by relative name.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] { path.namedBuffers() }

    /// Number of parameter elements.
    public var parameterCount: Int { path.parameterCount }

    /// Stops gradients for all of this module's parameters.
    public func freeze() { path.freeze() }

    /// Lets all of this module's parameters receive gradients again.
    public func unfreeze() { path.unfreeze() }
}
