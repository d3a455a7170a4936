internal import CKinemaTorch

/// A seeded random-number generator of libtorch's (Philox/Mersenne as PyTorch uses), passed to
/// random ops so that a run's randomness is injected rather than global.
///
/// Same seed, same draws as `torch.Generator().manual_seed(seed)` in PyTorch.
public final class Generator {
    let handle: OpaquePointer

    public init(seed: UInt64, device: Device = .cpu) throws(TorchError) {
        var out: OpaquePointer?
        try check(kt_generator_new(seed, device.kind.rawValue, Int32(device.index), &out), "Generator(seed:)")
        handle = try owned(out, "Generator(seed:)")
    }

    deinit { kt_generator_free(handle) }

    /// The generator's full state (for checkpoints: a resumed run continues the same stream).
    public var state: Tensor {
        get throws(TorchError) {
            var out: OpaquePointer?
            try check(kt_generator_get_state(handle, &out), "Generator.state")
            return Tensor(owning: try owned(out, "Generator.state"))
        }
    }

    public func setState(_ state: Tensor) throws(TorchError) {
        try check(kt_generator_set_state(handle, state.handle), "Generator.setState")
    }
}

@available(*, unavailable)
extension Generator: @unchecked Sendable {}
