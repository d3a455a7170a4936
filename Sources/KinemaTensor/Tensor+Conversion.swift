internal import CKinemaTorch

/// How a tensor's elements are laid out in memory (`torch.memory_format`). Channels-last layouts
/// keep the channel dimension innermost, which oneDNN's CPU convolutions run faster on.
public enum MemoryFormat: Int, Sendable {
    /// Row-major `[N, C, …]` (`torch.contiguous_format`).
    case contiguous = 0
    /// `[N, H, W, C]` order in memory for 4-D tensors (`torch.channels_last`).
    case channelsLast = 2
    /// `[N, T, H, W, C]` order in memory for 5-D tensors (`torch.channels_last_3d`).
    case channelsLast3d = 3
}

extension TorchOp {
    static let toDtypeLayout = TorchOp("aten::to", "dtype_layout")
    static let clone = TorchOp("aten::clone")
    static let pinMemory = TorchOp("aten::pin_memory")
    static let contiguous = TorchOp("aten::contiguous")
    static let isContiguousFormat = TorchOp("aten::is_contiguous", "memory_format")
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
    /// A CPU batch on `device`, copied as a PyTorch `DataLoader(pin_memory=True)` followed by
    /// `.to(device, non_blocking=True)` copies it: to a CUDA device through page-locked memory
    /// and without waiting, so the host goes on preparing the next step while the GPU works (a
    /// plain copy from pageable memory waits for everything queued before it). libtorch's pinned
    /// allocator keeps the staging memory until the copy is done. Anywhere else it is ``to(_:)``.
    public func staged(to device: Device) throws(TorchError) -> Tensor {
        guard device.kind == .cuda, self.device.kind == .cpu else { return try to(device) }
        let pinned = try TorchOp.pinMemory.call(.tensor(self), .none)
        return try TorchOp.toDtypeLayout.call(
            .tensor(pinned), .none, .none, .device(device), .none, .bool(true), .bool(false), .none)
    }

    /// `x.to(dtype)`.
    public func to(_ dtype: DType, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.to(dtype) }
    }
    /// `x.to(device)`; throws when the device is unavailable.
    public func to(_ device: Device) throws(TorchError) -> Tensor { try checked.to(device: device) }
    /// A copy with its own memory (`clone()`); gradients flow back to `self`.
    public func copied(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.clone.call(.tensor(self), .none) }
    }
    /// `contiguous(memory_format=...)`: `self` if already laid out so, else a copy that is.
    public func contiguous(
        _ format: MemoryFormat = .contiguous, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.contiguous.call(.tensor(self), .int(format.rawValue)) }
    }

    /// Whether the elements are laid out in `format` (`is_contiguous(memory_format=...)`).
    public func isContiguous(_ format: MemoryFormat, file: StaticString = #fileID, line: UInt = #line) -> Bool {
        orTrap(file: file, line: line) {
            try TorchOp.isContiguousFormat.call(.tensor(self), .int(format.rawValue)) { r throws(TorchError) in try r.bool(0) }
        }
    }

    /// Replaces this tensor's data with `source`'s while keeping its identity, `requiresGrad` and
    /// the references layers and optimizers hold (`param.data = source` in PyTorch); used to change
    /// a parameter's dtype, device or memory format in place.
    public func setData(_ source: Tensor, file: StaticString = #fileID, line: UInt = #line) {
        orTrap(file: file, line: line) { try check(kt_tensor_set_data(handle, source.handle), "Tensor.setData") }
    }
}
