import KinemaNN

/// How CGM-Net turns its low-resolution motion maps into high-resolution ones (Tian et al.,
/// ECCV 2020, §4.3, Tables 6–7).
public enum MotionUpsampling: String, Sendable, Codable, CaseIterable {
    /// The learnable ``ContextGuidedUpsampling`` layer (CGMUL), the paper's method.
    case contextGuided
    /// The "nearest" baseline: every tap channel upsampled by nearest neighbour, each filter
    /// spread onto a grid with `r − 1` zero holes between taps (``upsampledWithHoles(_:scale:)``).
    case nearest
    /// The "bilinear" baseline: as ``nearest`` with bilinear upsampling of the tap channels.
    case bilinear

    /// The unlearned baselines: the low-resolution maps `[N, k², h, w]` → `[N, k̂², r·h, r·w]` with
    /// `k̂ = r·(k − 1) + 1`. Each tap channel is upsampled by `scale` (nearest neighbour, or bilinear
    /// with `align_corners=False`), and the `k×k` filter at each high-resolution pixel is dilated
    /// like a dilated convolution kernel (Yu & Koltun 2016): the tap at low-resolution offset
    /// `(m, n)` moves to offset `(r·m, r·n)` and every other tap of the `k̂×k̂` filter is zero, so a
    /// displacement of one low-resolution pixel becomes one of `r` pixels. The taps' sum is kept
    /// (bilinear weights are convex), so maps normalised by a softmax stay normalised and are not
    /// normalised again. Not for ``contextGuided``, which learns its upsampling.
    public func upsampledWithHoles(_ maps: Tensor, scale: Int) -> Tensor {
        precondition(self != .contextGuided, "the context-guided upsampling is a layer: use ContextGuidedUpsampling")
        precondition(maps.rank == 4, "low-resolution maps must be [N, k², h, w], got \(maps.summary)")
        let (n, h, w) = (maps.shape[0], scale * maps.shape[2], scale * maps.shape[3])
        let k = orTrap { () throws(TorchError) in
            try MotionMapSynthesis.kernelSize(taps: maps.shape[1], op: "upsampledWithHoles")
        }
        let hrKernel = scale * (k - 1) + 1
        let upsampled = maps.interpolate(
            size: SpatialSize([h, w]), mode: self == .nearest ? .nearest : .bilinear,
            alignCorners: self == .nearest ? nil : false)
        // [N, k, k, H, W] → insert r − 1 zero rows after every tap row, then columns; keep k̂ of k·r.
        let taps = upsampled.reshaped([n, k, k, h, w])
        let rows = Tensor.cat([taps.unsqueezed(2), Tensor.zeros(
            [n, k, scale - 1, k, h, w], dtype: maps.dtype, device: maps.device)], dim: 2)
            .reshaped([n, k * scale, k, h, w]).narrowed(dim: 1, start: 0, length: hrKernel)
        let grid = Tensor.cat([rows.unsqueezed(3), Tensor.zeros(
            [n, hrKernel, k, scale - 1, h, w], dtype: maps.dtype, device: maps.device)], dim: 3)
            .reshaped([n, hrKernel, k * scale, h, w]).narrowed(dim: 2, start: 0, length: hrKernel)
        return grid.reshaped([n, hrKernel * hrKernel, h, w])
    }
}
