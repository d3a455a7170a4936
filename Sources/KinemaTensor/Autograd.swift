internal import CKinemaTorch

/// Autograd: libtorch records operations on tensors that require gradients and `backward()`
/// fills `grad` of the leaves, exactly as in PyTorch.
extension Tensor {
    /// Whether autograd records operations on this tensor (`requires_grad`).
    public var requiresGrad: Bool {
        get {
            var out = false
            _ = kt_tensor_requires_grad(handle, &out)
            return out
        }
        set {
            orTrap {
                try check(kt_tensor_set_requires_grad(handle, newValue), "Tensor.requiresGrad")
            }
        }
    }

    /// Sets ``requiresGrad`` and returns `self`, for chaining (`requires_grad_()`).
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    /// True for tensors made by the user rather than by a recorded operation.
    public var isLeaf: Bool {
        var out = false
        _ = kt_tensor_is_leaf(handle, &out)
        return out
    }

    /// The gradient accumulated by ``backward(_:retainGraph:createGraph:)``, or nil.
    public var grad: Tensor? {
        get {
            var out: OpaquePointer?
            _ = kt_tensor_grad(handle, &out)
            return out.map(Tensor.init(owning:))
        }
        set {
            orTrap { try check(kt_tensor_set_grad(handle, newValue?.handle), "Tensor.grad") }
        }
    }

    /// Computes gradients of this tensor with respect to the graph's leaves (`backward()`).
    /// `gradient` may be omitted for a one-element tensor.
    public func backward(
        _ gradient: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        orTrap(file: file, line: line) {
            try checked.backward(gradient, retainGraph: retainGraph, createGraph: createGraph)
        }
    }

    /// A tensor sharing this one's memory but cut from the graph (`detach()`).
    public func detached(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.detach.call(.tensor(self)) }
    }
}

extension Tensor.Checked {
    /// Throwing `backward()`.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false)
        throws(TorchError)
    {
        try check(
            kt_tensor_backward(base.handle, gradient?.handle, retainGraph, createGraph), "Tensor.backward")
    }
}

extension TorchOp {
    static let detach = TorchOp("aten::detach")
}

/// Runs `body` with autograd recording off on this thread (`torch.no_grad()`).
///
/// The scope is synchronous on purpose: libtorch's grad mode is thread-local, and an `async` body
/// could resume on another thread and leak or lose the mode.
public func withNoGrad<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    try withGradMode(false, body)
}

/// Runs `body` with autograd recording on (inside a ``withNoGrad(_:)`` scope, say).
public func withGrad<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    try withGradMode(true, body)
}

private func withGradMode<R, E: Error>(_ enabled: Bool, _ body: () throws(E) -> R) throws(E) -> R {
    var previous = true
    _ = kt_set_grad_enabled(enabled, &previous)
    defer { _ = kt_set_grad_enabled(previous, nil) }
    return try body()
}
