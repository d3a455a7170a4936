infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

extension TorchOp {
    static let eqTensor = TorchOp("aten::eq", "Tensor")
    static let neTensor = TorchOp("aten::ne", "Tensor")
    static let ltTensor = TorchOp("aten::lt", "Tensor")
    static let leTensor = TorchOp("aten::le", "Tensor")
    static let gtTensor = TorchOp("aten::gt", "Tensor")
    static let geTensor = TorchOp("aten::ge", "Tensor")
    static let eqScalar = TorchOp("aten::eq", "Scalar")
    static let neScalar = TorchOp("aten::ne", "Scalar")
    static let ltScalar = TorchOp("aten::lt", "Scalar")
    static let leScalar = TorchOp("aten::le", "Scalar")
    static let gtScalar = TorchOp("aten::gt", "Scalar")
    static let geScalar = TorchOp("aten::ge", "Scalar")
    static let logicalAnd = TorchOp("aten::logical_and")
    static let logicalOr = TorchOp("aten::logical_or")
    static let logicalXor = TorchOp("aten::logical_xor")
    static let logicalNot = TorchOp("aten::logical_not")
    static let isnan = TorchOp("aten::isnan")
    static let isfinite = TorchOp("aten::isfinite")
    static let allclose = TorchOp("aten::allclose")
    static let equal = TorchOp("aten::equal")
}

/// Element-wise comparisons return bool tensors. They use the SIMD spelling (`.==`, `.<`) so that
/// `==` keeps its Swift meaning; ``Tensor/isEqual(to:)`` compares whole tensors.
extension Tensor {
    private static func compare(_ op: TorchOp, _ lhs: Tensor, _ rhs: Tensor) -> Tensor {
        orTrap { try op.call(.tensor(lhs), .tensor(rhs)) }
    }
    private static func compare(_ op: TorchOp, _ lhs: Tensor, _ rhs: some TensorScalar) -> Tensor {
        orTrap { try op.call(.tensor(lhs), rhs.torchArgument) }
    }

    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { compare(.eqTensor, lhs, rhs) }
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { compare(.neTensor, lhs, rhs) }
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { compare(.ltTensor, lhs, rhs) }
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { compare(.leTensor, lhs, rhs) }
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { compare(.gtTensor, lhs, rhs) }
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { compare(.geTensor, lhs, rhs) }
    public static func .== (lhs: Tensor, rhs: some TensorScalar) -> Tensor { compare(.eqScalar, lhs, rhs) }
    public static func .!= (lhs: Tensor, rhs: some TensorScalar) -> Tensor { compare(.neScalar, lhs, rhs) }
    public static func .< (lhs: Tensor, rhs: some TensorScalar) -> Tensor { compare(.ltScalar, lhs, rhs) }
    public static func .<= (lhs: Tensor, rhs: some TensorScalar) -> Tensor { compare(.leScalar, lhs, rhs) }
    public static func .> (lhs: Tensor, rhs: some TensorScalar) -> Tensor { compare(.gtScalar, lhs, rhs) }
    public static func .>= (lhs: Tensor, rhs: some TensorScalar) -> Tensor { compare(.geScalar, lhs, rhs) }

    public func logicalAnd(_ other: Tensor) -> Tensor { Tensor.compare(.logicalAnd, self, other) }
    public func logicalOr(_ other: Tensor) -> Tensor { Tensor.compare(.logicalOr, self, other) }
    public func logicalXor(_ other: Tensor) -> Tensor { Tensor.compare(.logicalXor, self, other) }
    public func logicalNot(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.logicalNot.call(.tensor(self)) }
    }
    public func isNaN(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.isnan.call(.tensor(self)) }
    }
    public func isFinite(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.isfinite.call(.tensor(self)) }
    }

    /// Same shape and exactly equal elements (`torch.equal`).
    public func isEqual(to other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Bool {
        orTrap(file: file, line: line) {
            try TorchOp.equal.call(.tensor(self), .tensor(other)) { r throws(TorchError) in try r.bool(0) }
        }
    }

    /// `torch.allclose`: `|self - other| <= atol + rtol * |other|` everywhere.
    public func isClose(
        to other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Bool {
        orTrap(file: file, line: line) {
            try TorchOp.allclose.call(
                .tensor(self), .tensor(other), .double(rtol), .double(atol), .bool(equalNaN)
            ) { r throws(TorchError) in try r.bool(0) }
        }
    }
}
