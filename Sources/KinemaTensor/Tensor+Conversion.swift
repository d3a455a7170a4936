extension TorchOp {
    static let toDtypeLayout = TorchOp("aten::to", "dtype_layout")
    static let clone = TorchOp("aten::clone")
    static let contiguous = TorchOp("aten::contiguous")
}

extension Tensor.Checked {
    /// `x.to(device=..., dtype=...)`; returns `base` itself when nothing changes.
    public func to(_ dtype: DType? = nil, device: Device? = nil, copy: Bool = false) throws(TorchError) -> Tensor {
        try TorchOp.toDtypeLayout.call(
            .tensor(base), .dtype(dtype), .none, device.map { .device($0) } ?? .none, .none, .bool(false),
            .bool(copy), .none)
    }
}

extension Tensor {
    /// `x.to(dtype)`.
    public func to(_ dtype: DType) -> Tensor { orTrap { try checked.to(dtype) } }
    /// `x.to(device)`; throws when the device is unavailable.
    public func to(_ device: Device) throws(TorchError) -> Tensor { try checked.to(device: device) }
    /// A copy with its own memory (`clone()`); gradients flow back to `self`.
    public func copied() -> Tensor { orTrap { try TorchOp.clone.call(.tensor(self), .none) } }
    /// `contiguous()`: `self` if already contiguous, else a contiguous copy.
    public func contiguous() -> Tensor { orTrap { try TorchOp.contiguous.call(.tensor(self), .int(0)) } }
}
