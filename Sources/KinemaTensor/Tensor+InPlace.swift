/// In-place operations. Their names end in `InPlace` so that aliasing is visible in review; they
/// exist for initialisation and optimizer updates, like PyTorch's trailing-underscore methods.
extension TorchOp {
    static let addInPlace = TorchOp("aten::add_", "Tensor")
    static let subInPlace = TorchOp("aten::sub_", "Tensor")
    static let mulInPlace = TorchOp("aten::mul_", "Tensor")
    static let mulScalarInPlace = TorchOp("aten::mul_", "Scalar")
    static let divInPlace = TorchOp("aten::div_", "Tensor")
    static let divScalarInPlace = TorchOp("aten::div_", "Scalar")
    static let addcmulInPlace = TorchOp("aten::addcmul_")
    static let addcdivInPlace = TorchOp("aten::addcdiv_")
    static let lerpInPlace = TorchOp("aten::lerp_", "Scalar")
    static let sqrtInPlace = TorchOp("aten::sqrt_")
    static let clampInPlace = TorchOp("aten::clamp_")
    static let zeroInPlace = TorchOp("aten::zero_")
    static let fillInPlace = TorchOp("aten::fill_", "Scalar")
    static let copyInPlace = TorchOp("aten::copy_")
    static let uniformInPlace = TorchOp("aten::uniform_")
    static let normalInPlace = TorchOp("aten::normal_")
    static let bernoulliInPlace = TorchOp("aten::bernoulli_", "float")
}

extension Tensor {
    @inline(__always)
    private func inPlace(_ op: TorchOp, _ arguments: TorchArgument..., file: StaticString, line: UInt) {
        _ = orTrap(file: file, line: line) { try op.call(arguments: [.tensor(self)] + arguments) }
    }

    /// `self += alpha * other` (`add_`).
    public func addInPlace(
        _ other: Tensor, alpha: some TensorScalar = 1, file: StaticString = #fileID, line: UInt = #line
    ) {
        inPlace(.addInPlace, .tensor(other), alpha.torchArgument, file: file, line: line)
    }
    /// `self -= alpha * other` (`sub_`).
    public func subtractInPlace(
        _ other: Tensor, alpha: some TensorScalar = 1, file: StaticString = #fileID, line: UInt = #line
    ) {
        inPlace(.subInPlace, .tensor(other), alpha.torchArgument, file: file, line: line)
    }
    /// `self *= other` (`mul_`).
    public func multiplyInPlace(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.mulInPlace, .tensor(other), file: file, line: line)
    }
    /// `self *= s` (`mul_`).
    public func multiplyInPlace(_ s: some TensorScalar, file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.mulScalarInPlace, s.torchArgument, file: file, line: line)
    }
    /// `self /= other` (`div_`).
    public func divideInPlace(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.divInPlace, .tensor(other), file: file, line: line)
    }
    /// `self /= s` (`div_`).
    public func divideInPlace(_ s: some TensorScalar, file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.divScalarInPlace, s.torchArgument, file: file, line: line)
    }
    /// `self += value * t1 * t2` (`addcmul_`).
    public func addcmulInPlace(
        _ t1: Tensor, _ t2: Tensor, value: Double = 1, file: StaticString = #fileID, line: UInt = #line
    ) {
        inPlace(.addcmulInPlace, .tensor(t1), .tensor(t2), .double(value), file: file, line: line)
    }
    /// `self += value * t1 / t2` (`addcdiv_`).
    public func addcdivInPlace(
        _ t1: Tensor, _ t2: Tensor, value: Double = 1, file: StaticString = #fileID, line: UInt = #line
    ) {
        inPlace(.addcdivInPlace, .tensor(t1), .tensor(t2), .double(value), file: file, line: line)
    }
    /// `self += weight * (end - self)` (`lerp_`).
    public func lerpInPlace(_ end: Tensor, weight: Double, file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.lerpInPlace, .tensor(end), .double(weight), file: file, line: line)
    }
    /// `sqrt_`.
    public func sqrtInPlace(file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.sqrtInPlace, file: file, line: line)
    }
    /// `clamp_(min, max)`.
    public func clampInPlace(
        min: Double? = nil, max: Double? = nil, file: StaticString = #fileID, line: UInt = #line
    ) {
        inPlace(
            .clampInPlace, min.map { .double($0) } ?? .none, max.map { .double($0) } ?? .none, file: file, line: line)
    }
    /// `zero_`.
    public func zeroInPlace(file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.zeroInPlace, file: file, line: line)
    }
    /// `fill_(value)`.
    public func fillInPlace(_ value: some TensorScalar, file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.fillInPlace, value.torchArgument, file: file, line: line)
    }
    /// `copy_(source)`: copies (and broadcasts, converts) `source` into this tensor's memory.
    public func copyInPlace(from source: Tensor, file: StaticString = #fileID, line: UInt = #line) {
        inPlace(.copyInPlace, .tensor(source), .bool(false), file: file, line: line)
    }
    /// `uniform_(low, high, generator)`.
    public func uniformInPlace(
        _ low: Double = 0, _ high: Double = 1, generator: Generator? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        inPlace(.uniformInPlace, .double(low), .double(high), .generator(generator), file: file, line: line)
    }
    /// `normal_(mean, std, generator)`.
    public func normalInPlace(
        mean: Double = 0, std: Double = 1, generator: Generator? = nil,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        inPlace(.normalInPlace, .double(mean), .double(std), .generator(generator), file: file, line: line)
    }
    /// `bernoulli_(p, generator)`: each element becomes 1 with probability `p`, else 0.
    public func bernoulliInPlace(
        _ p: Double, generator: Generator? = nil, file: StaticString = #fileID, line: UInt = #line
    ) {
        inPlace(.bernoulliInPlace, .double(p), .generator(generator), file: file, line: line)
    }
}
