extension TorchOp {
    static let addTensor = TorchOp("aten::add", "Tensor")
    static let addScalar = TorchOp("aten::add", "Scalar")
    static let subTensor = TorchOp("aten::sub", "Tensor")
    static let subScalar = TorchOp("aten::sub", "Scalar")
    static let rsubScalar = TorchOp("aten::rsub", "Scalar")
    static let mulTensor = TorchOp("aten::mul", "Tensor")
    static let mulScalar = TorchOp("aten::mul", "Scalar")
    static let divTensor = TorchOp("aten::div", "Tensor")
    static let divScalar = TorchOp("aten::div", "Scalar")
    static let divTensorMode = TorchOp("aten::div", "Tensor_mode")
    static let powTensorScalar = TorchOp("aten::pow", "Tensor_Scalar")
    static let powTensorTensor = TorchOp("aten::pow", "Tensor_Tensor")
    static let remainderScalar = TorchOp("aten::remainder", "Scalar")
    static let maximum = TorchOp("aten::maximum")
    static let minimum = TorchOp("aten::minimum")
    static let clamp = TorchOp("aten::clamp")
    static let lerpScalar = TorchOp("aten::lerp", "Scalar")
    static let addcmul = TorchOp("aten::addcmul")
    static let addcdiv = TorchOp("aten::addcdiv")
    static let neg = TorchOp("aten::neg")
    static let abs = TorchOp("aten::abs")
    static let sign = TorchOp("aten::sign")
    static let sqrt = TorchOp("aten::sqrt")
    static let rsqrt = TorchOp("aten::rsqrt")
    static let square = TorchOp("aten::square")
    static let exp = TorchOp("aten::exp")
    static let log = TorchOp("aten::log")
    static let log1p = TorchOp("aten::log1p")
    static let sin = TorchOp("aten::sin")
    static let cos = TorchOp("aten::cos")
    static let atan2 = TorchOp("aten::atan2")
    static let floor = TorchOp("aten::floor")
    static let ceil = TorchOp("aten::ceil")
    static let round = TorchOp("aten::round")
    static let reciprocal = TorchOp("aten::reciprocal")
    static let erf = TorchOp("aten::erf")
}

// MARK: - Operators (broadcasting, PyTorch type promotion)

extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.add(rhs) }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.subtract(rhs) }
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.multiply(rhs) }
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.divide(rhs) }
    public static prefix func - (x: Tensor) -> Tensor { x.negated() }

    public static func + (lhs: Tensor, rhs: some TensorScalar) -> Tensor {
        orTrap { try TorchOp.addScalar.call(.tensor(lhs), rhs.torchArgument, .int(1)) }
    }
    public static func + (lhs: some TensorScalar, rhs: Tensor) -> Tensor { rhs + lhs }
    public static func - (lhs: Tensor, rhs: some TensorScalar) -> Tensor {
        orTrap { try TorchOp.subScalar.call(.tensor(lhs), rhs.torchArgument, .int(1)) }
    }
    public static func - (lhs: some TensorScalar, rhs: Tensor) -> Tensor {
        orTrap { try TorchOp.rsubScalar.call(.tensor(rhs), lhs.torchArgument, .int(1)) }
    }
    public static func * (lhs: Tensor, rhs: some TensorScalar) -> Tensor {
        orTrap { try TorchOp.mulScalar.call(.tensor(lhs), rhs.torchArgument) }
    }
    public static func * (lhs: some TensorScalar, rhs: Tensor) -> Tensor { rhs * lhs }
    public static func / (lhs: Tensor, rhs: some TensorScalar) -> Tensor {
        orTrap { try TorchOp.divScalar.call(.tensor(lhs), rhs.torchArgument) }
    }
    /// `s / x`, computed as PyTorch does: `reciprocal(x) * s`.
    public static func / (lhs: some TensorScalar, rhs: Tensor) -> Tensor { rhs.reciprocal() * lhs }
}

// MARK: - Binary operations (with throwing twins)

extension Tensor.Checked {
    /// `self + alpha * other`, broadcasting.
    public func add(_ other: Tensor, alpha: some TensorScalar = 1) throws(TorchError) -> Tensor {
        try TorchOp.addTensor.call(.tensor(base), .tensor(other), alpha.torchArgument)
    }
    /// `self - alpha * other`, broadcasting.
    public func subtract(_ other: Tensor, alpha: some TensorScalar = 1) throws(TorchError) -> Tensor {
        try TorchOp.subTensor.call(.tensor(base), .tensor(other), alpha.torchArgument)
    }
    public func multiply(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.mulTensor.call(.tensor(base), .tensor(other))
    }
    /// True division (integers promote to floating point), like `torch.div`.
    public func divide(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.divTensor.call(.tensor(base), .tensor(other))
    }
    /// `torch.div(x, y, rounding_mode="floor")`.
    public func floorDivide(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.divTensorMode.call(.tensor(base), .tensor(other), .string("floor"))
    }
    public func pow(_ exponent: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.powTensorTensor.call(.tensor(base), .tensor(exponent))
    }
    public func maximum(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.maximum.call(.tensor(base), .tensor(other))
    }
    public func minimum(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.minimum.call(.tensor(base), .tensor(other))
    }
    public func atan2(_ other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.atan2.call(.tensor(base), .tensor(other))
    }
    /// `self + weight * (end - self)`.
    public func lerp(_ end: Tensor, weight: Double) throws(TorchError) -> Tensor {
        try TorchOp.lerpScalar.call(.tensor(base), .tensor(end), .double(weight))
    }
    /// `self + value * t1 * t2`.
    public func addcmul(_ t1: Tensor, _ t2: Tensor, value: Double = 1) throws(TorchError) -> Tensor {
        try TorchOp.addcmul.call(.tensor(base), .tensor(t1), .tensor(t2), .double(value))
    }
    /// `self + value * t1 / t2`.
    public func addcdiv(_ t1: Tensor, _ t2: Tensor, value: Double = 1) throws(TorchError) -> Tensor {
        try TorchOp.addcdiv.call(.tensor(base), .tensor(t1), .tensor(t2), .double(value))
    }
}

extension Tensor {
    /// `self + alpha * other`, broadcasting (`torch.add`).
    public func add(
        _ other: Tensor, alpha: some TensorScalar = 1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.add(other, alpha: alpha) }
    }
    /// `self - alpha * other`, broadcasting (`torch.sub`).
    public func subtract(
        _ other: Tensor, alpha: some TensorScalar = 1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.subtract(other, alpha: alpha) }
    }
    /// Element-wise product, broadcasting (`torch.mul`).
    public func multiply(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.multiply(other) }
    }
    /// True division, broadcasting (`torch.div`).
    public func divide(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.divide(other) }
    }
    /// Floor division (`torch.div(..., rounding_mode="floor")`).
    public func floorDivide(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.floorDivide(other) }
    }
    /// `torch.pow(x, y)` with a tensor exponent.
    public func pow(_ exponent: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.pow(exponent) }
    }
    /// `torch.pow(x, s)`.
    public func pow(_ exponent: some TensorScalar, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.powTensorScalar.call(.tensor(self), exponent.torchArgument) }
    }
    /// Element-wise maximum (`torch.maximum`).
    public func maximum(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.maximum(other) }
    }
    /// Element-wise minimum (`torch.minimum`).
    public func minimum(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.minimum(other) }
    }
    /// `torch.atan2(self, other)`.
    public func atan2(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.atan2(other) }
    }
    /// `torch.lerp(self, end, weight)`.
    public func lerp(_ end: Tensor, weight: Double, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.lerp(end, weight: weight) }
    }
    /// `torch.addcmul(self, t1, t2, value=value)`.
    public func addcmul(
        _ t1: Tensor, _ t2: Tensor, value: Double = 1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.addcmul(t1, t2, value: value) }
    }
    /// `torch.addcdiv(self, t1, t2, value=value)`.
    public func addcdiv(
        _ t1: Tensor, _ t2: Tensor, value: Double = 1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.addcdiv(t1, t2, value: value) }
    }
    /// `torch.remainder(x, s)` (sign of the divisor, like Python's `%`).
    public func remainder(_ divisor: some TensorScalar, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.remainderScalar.call(.tensor(self), divisor.torchArgument) }
    }
    /// `torch.clamp(x, min, max)`; either bound may be omitted.
    public func clamped(
        min: Double? = nil, max: Double? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try TorchOp.clamp.call(.tensor(self), min.map { .double($0) } ?? .none, max.map { .double($0) } ?? .none)
        }
    }
}

// MARK: - Unary element-wise operations

extension Tensor {
    @inline(__always)
    private func unary(_ op: TorchOp) -> Tensor { orTrap { try op.call(.tensor(self)) } }

    public func negated() -> Tensor { unary(.neg) }
    public func abs() -> Tensor { unary(.abs) }
    public func sign() -> Tensor { unary(.sign) }
    public func sqrt() -> Tensor { unary(.sqrt) }
    public func rsqrt() -> Tensor { unary(.rsqrt) }
    public func square() -> Tensor { unary(.square) }
    public func exp() -> Tensor { unary(.exp) }
    public func log() -> Tensor { unary(.log) }
    public func log1p() -> Tensor { unary(.log1p) }
    public func sin() -> Tensor { unary(.sin) }
    public func cos() -> Tensor { unary(.cos) }
    public func floor() -> Tensor { unary(.floor) }
    public func ceil() -> Tensor { unary(.ceil) }
    /// Round half to even, like `torch.round`.
    public func rounded() -> Tensor { unary(.round) }
    public func reciprocal() -> Tensor { unary(.reciprocal) }
    public func erf() -> Tensor { unary(.erf) }
}
