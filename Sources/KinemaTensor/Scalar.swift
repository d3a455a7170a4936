/// A Swift number usable as a scalar operand (`x * 2`, `x + 0.5`, `x.masked(fill: mask, with: 0)`).
///
/// Integers stay integral, so `intTensor + 1` keeps its dtype as in PyTorch, while `+ 1.5`
/// promotes to floating point.
public protocol TensorScalar: Sendable {
    var torchArgument: TorchArgument { get }
}

extension Int: TensorScalar {
    public var torchArgument: TorchArgument { .int(self) }
}
extension Int32: TensorScalar {
    public var torchArgument: TorchArgument { .int(Int(self)) }
}
extension Double: TensorScalar {
    public var torchArgument: TorchArgument { .double(self) }
}
extension Float: TensorScalar {
    public var torchArgument: TorchArgument { .double(Double(self)) }
}
extension Bool: TensorScalar {
    public var torchArgument: TorchArgument { .bool(self) }
}
