/// An element-wise activation as a layer (`nn.ReLU()`, `nn.GELU()`, …), for ``Sequential`` and
/// ``MLP``. It has no parameters, so it needs no path: in a Sequential it still takes its index,
/// as in PyTorch.
public enum Activation: UnaryLayer, Sendable, Hashable, CaseIterable {
    case identity
    case relu
    /// Exact GELU (`nn.GELU()`).
    case gelu
    /// GELU with the tanh approximation (`nn.GELU(approximate="tanh")`).
    case geluTanh
    case silu
    case sigmoid
    case tanh

    public func callAsFunction(_ input: Tensor) -> Tensor {
        switch self {
        case .identity: input
        case .relu: input.relu()
        case .gelu: input.gelu()
        case .geluTanh: input.gelu(approximate: .tanh)
        case .silu: input.silu()
        case .sigmoid: input.sigmoid()
        case .tanh: input.tanh()
        }
    }
}
