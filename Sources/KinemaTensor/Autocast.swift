internal import CKinemaTorch

/// Runs `body` in an autocast region (`with torch.autocast(device_type, dtype=…)`): while it runs,
/// ops on `device`'s kind follow libtorch's autocast policy — matrix products and convolutions in
/// `dtype` (bfloat16 or float16), reductions, norms and losses in float32 — as chosen by libtorch's
/// own Autocast dispatch keys, so a Kinema model computes in the same types as a PyTorch one.
///
/// Weights stay float32 (master weights); their lower-precision copies are cached for the region
/// and dropped when the outermost region ends. Call `backward()` outside the region, as in
/// PyTorch: the backward ops run in the types the forward chose. Like ``withNoGrad(_:)`` the scope
/// is synchronous because the state is per thread.
public func withAutocast<R, E: Error>(
    _ device: Device, dtype: DType, _ body: () throws(E) -> R
) throws(E) -> R {
    var wasEnabled = false
    var wasDType: Int32 = 0
    let kind = device.kind.rawValue
    orTrap { try check(kt_autocast_enter(kind, dtype.rawValue, &wasEnabled, &wasDType), "withAutocast") }
    defer { orTrap { try check(kt_autocast_exit(kind, wasEnabled, wasDType), "withAutocast") } }
    return try body()
}

extension Device {
    /// Whether an autocast region is active for this device's kind on the calling thread.
    public var isAutocastEnabled: Bool {
        var out = false
        _ = kt_autocast_is_enabled(kind.rawValue, &out)
        return out
    }
}
