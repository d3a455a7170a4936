// Activations, softmax and dropout (torch.nn.functional.relu, gelu, silu, softmax, dropout, …).

extension TorchOp {
    static let relu = TorchOp("aten::relu")
    static let gelu = TorchOp("aten::gelu")
    static let silu = TorchOp("aten::silu")
    static let sigmoid = TorchOp("aten::sigmoid")
    static let tanh = TorchOp("aten::tanh")
    static let softmax = TorchOp("aten::softmax", "int")
    static let logSoftmax = TorchOp("aten::log_softmax", "int")
    static let dropout = TorchOp("aten::dropout")
}

/// How ``Tensor/gelu(approximate:)`` evaluates the Gaussian CDF (`F.gelu`'s `approximate`).
public enum GELUApproximation: String, Sendable, CaseIterable {
    /// The exact `x·Φ(x)` with the error function.
    case none
    /// `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
    case tanh
}

// MARK: - Element-wise activations (pure, trapping only)

extension Tensor {
    /// `F.relu`: `max(x, 0)`.
    public func relu(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.relu.call(.tensor(self)) }
    }

    /// `F.gelu`: `x·Φ(x)`, exactly or with the tanh approximation.
    public func gelu(
        approximate: GELUApproximation = .none, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.gelu.call(.tensor(self), .string(approximate.rawValue)) }
    }

    /// `F.silu` (swish): `x·σ(x)`.
    public func silu(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.silu.call(.tensor(self)) }
    }

    /// `torch.sigmoid`: `1 / (1 + e^-x)`.
    public func sigmoid(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.sigmoid.call(.tensor(self)) }
    }

    /// `torch.tanh`.
    public func tanh(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.tanh.call(.tensor(self)) }
    }
}

// MARK: - Softmax and dropout

extension Tensor.Checked {
    /// `F.softmax(x, dim)`: exponentials normalized to sum to 1 along `dim` (negative counts from the end).
    public func softmax(dim: Int) throws(TorchError) -> Tensor {
        try TorchOp.softmax.call(.tensor(base), .int(dim), .dtype(nil))
    }

    /// `F.log_softmax(x, dim)`: the logarithm of ``softmax(dim:)``, computed stably.
    public func logSoftmax(dim: Int) throws(TorchError) -> Tensor {
        try TorchOp.logSoftmax.call(.tensor(base), .int(dim), .dtype(nil))
    }

    /// `F.dropout(x, p, training)`: in training, zeroes each element with probability `p` and
    /// scales the rest by `1 / (1 - p)`; otherwise returns `self` unchanged.
    ///
    /// Without a generator this is `aten::dropout` on libtorch's default generator, so
    /// `Engine.seed(s)` reproduces the masks of `torch.manual_seed(s)`. With a generator the mask is
    /// drawn as libtorch's CPU kernel draws it (`bernoulli_(1 - p)` on a tensor of `self`'s shape),
    /// so a CPU `Generator(seed: s)` gives the masks of `torch.manual_seed(s)` too, without touching
    /// global state. (On CUDA PyTorch uses a fused kernel: the masks are then valid but different.)
    public func dropout(p: Double, training: Bool, generator: Generator? = nil) throws(TorchError) -> Tensor {
        guard (0...1).contains(p) else {
            throw TorchError(
                code: .argument, op: TorchOp.dropout.name, message: "dropout probability has to be in [0, 1], got \(p)")
        }
        guard let generator else {
            return try TorchOp.dropout.call(.tensor(base), .double(p), .bool(training))
        }
        if p == 0 || !training || base.count == 0 { return base }
        let keep = base.zerosLike()
        if p < 1 {
            keep.bernoulliInPlace(1 - p, generator: generator)
            keep.divideInPlace(1 - p)
        }
        return try multiply(keep)
    }
}

extension Tensor {
    /// `F.softmax(x, dim)`; see ``Tensor/Checked/softmax(dim:)``.
    public func softmax(dim: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.softmax(dim: dim) }
    }

    /// `F.log_softmax(x, dim)`; see ``Tensor/Checked/logSoftmax(dim:)``.
    public func logSoftmax(dim: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.logSoftmax(dim: dim) }
    }

    /// `F.dropout(x, p, training)`; see ``Tensor/Checked/dropout(p:training:generator:)``.
    public func dropout(
        p: Double, training: Bool, generator: Generator? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.dropout(p: p, training: training, generator: generator) }
    }
}
