/// Matrix products and `einsum`, all libtorch's own kernels (BLAS on the CPU, cuBLAS on CUDA).
extension TorchOp {
    static let matmul = TorchOp("aten::matmul")
    static let bmm = TorchOp("aten::bmm")
    static let mm = TorchOp("aten::mm")
    static let outer = TorchOp("aten::outer")
    static let einsum = TorchOp("aten::einsum")
    static let linear = TorchOp("aten::linear")
}

// MARK: - Throwing twins

extension Tensor.Checked {
    /// `torch.matmul`: vector·vector is a dot product, matrix·matrix a product, and leading
    /// (batch) dimensions broadcast, e.g. `[B, 1, M, K] · [H, K, N] → [B, H, M, N]`.
    public func matmul(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.matmul.call(.tensor(base), .tensor(other))
    }
    /// `torch.bmm`: `[B, M, K] · [B, K, N] → [B, M, N]`, no broadcasting.
    public func bmm(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.bmm.call(.tensor(base), .tensor(other))
    }
    /// `torch.mm`: `[M, K] · [K, N] → [M, N]`, no broadcasting.
    public func mm(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.mm.call(.tensor(base), .tensor(other))
    }
    /// `torch.outer`: `[M] ⊗ [N] → [M, N]`.
    public func outer(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.outer.call(.tensor(base), .tensor(other))
    }
    /// `F.linear(x, weight, bias)`: `x · weightᵀ + bias` for `x [*, in]`, `weight [out, in]`,
    /// `bias [out]`, giving `[*, out]`.
    public func linear(weight: Tensor, bias: Tensor? = nil) throws(TorchError) -> Tensor {
        try TorchOp.linear.call(.tensor(base), .tensor(weight), .optionalTensor(bias))
    }
    /// `torch.einsum(equation, operands)`, e.g. `"bhqd,bhkd->bhqk"`.
    public static func einsum(_ equation: String, _ operands: [Tensor]) throws(TorchError) -> Tensor {
        try TorchOp.einsum.call(.string(equation), .tensors(operands))
    }
}

// MARK: - Trapping surface

extension Tensor {
    /// `torch.matmul`, with broadcasting batch dimensions.
    public func matmul(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.matmul(other) }
    }
    /// `torch.bmm`: `[B, M, K] · [B, K, N] → [B, M, N]`.
    public func bmm(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.bmm(other) }
    }
    /// `torch.mm`: `[M, K] · [K, N] → [M, N]`.
    public func mm(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.mm(other) }
    }
    /// `torch.outer`: `[M] ⊗ [N] → [M, N]`.
    public func outer(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.outer(other) }
    }
    /// `F.linear(x, weight, bias)`: `x · weightᵀ + bias`, `[*, in] → [*, out]`.
    public func linear(
        weight: Tensor, bias: Tensor? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.linear(weight: weight, bias: bias) }
    }
    /// `torch.einsum(equation, operands...)`.
    public static func einsum(
        _ equation: String, _ operands: Tensor..., file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try Checked.einsum(equation, operands) }
    }
    /// `torch.einsum(equation, operands)`.
    public static func einsum(
        _ equation: String, _ operands: [Tensor], file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try Checked.einsum(equation, operands) }
    }
}
