// CGM-Net's motion maps and the frame synthesis they define (Tian et al., "Self-supervised Motion
// Representation via Scattering Local Motion Cues", ECCV 2020, §3.2, Eq. 1).
import KinemaNN

/// A motion map: per pixel, a `k×k` filter (`k` odd, `r = (k − 1)/2`) that makes the next frame
/// from the current one (Eq. 1, the pixel-adaptive convolution of Su et al. 2019):
///
/// ```
/// X̃(x, y, c) = Σ_{m,n ∈ [−r, r]} M(m + r, n + r, x, y) · X_c(x − m, y − n)
/// ```
///
/// `x` is the column (width) and `y` the row (height); one filter serves every colour channel,
/// and pixels outside the image read as zero.
///
/// Tap order: Kinema stores a map as `[N, k², H, W]` with the taps in row-major order of the
/// displacement, vertical first: channel `(n + r)·k + (m + r)` holds the tap of horizontal offset
/// `m` and vertical offset `n` (the paper's `M(m + r, n + r, ·, ·)` with its two filter axes
/// swapped into PyTorch's (row, column) order). The tap at offset `(m, n)` reads the pixel
/// *minus* the offset, `X(x − m, y − n)`: a filter whose only non-zero tap is a 1 at
/// `(m, n) = (dx, dy)` moves the image `dx` to the right and `dy` down. This is `F.unfold`'s
/// window order reversed (window position `(i, j)` reads `X(x + j − r, y + i − r)`), so the
/// synthesis flips the map's tap axis and weights the unfolded frame with it.
///
/// ```swift
/// let next = frame.synthesised(withMotionMaps: maps)    // [N, C, H, W] with maps [N, k², H, W]
/// ```
///
/// Memory: the unfolded frame and its weighted copy hold `N·C·k²·H·W` elements each (a 16-frame
/// 112×112 RGB clip with `k = 9`: 49 M floats, 195 MB, per tensor); the result is differentiable
/// in both the frames and the maps through libtorch's own `im2col`, product and sum.
extension Tensor.Checked {
    /// Eq. 1: the frames `[N, C, H, W]` filtered per pixel by the motion maps `[N, k², H, W]`
    /// (see the extension's documentation for the tap order); `[N, C, H, W]`.
    public func synthesised(withMotionMaps maps: Tensor) throws(TorchError) -> Tensor {
        let op = "synthesised(withMotionMaps:)"
        guard base.rank == 4, maps.rank == 4 else {
            throw TorchError(
                code: .value, op: op, message: "frames must be [N, C, H, W] and maps [N, k², H, W]",
                operands: [base.summary, maps.summary])
        }
        let (n, c, h, w) = (base.shape[0], base.shape[1], base.shape[2], base.shape[3])
        let kernel = try MotionMapSynthesis.kernelSize(taps: maps.shape[1], op: op)
        guard maps.shape[0] == n, maps.shape[2] == h, maps.shape[3] == w else {
            throw TorchError(
                code: .value, op: op, message: "the maps' batch and size must be the frames' (\(n), \(h)×\(w))",
                operands: [base.summary, maps.summary])
        }
        let windows = try base.checked.unfold(kernelSize: SpatialSize(kernel), padding: SpatialSize(kernel / 2))
            .checked.viewed(as: [n, c, kernel * kernel, h, w])
        let weights = try maps.checked.flipped([1]).checked.unsqueezed(1)
        return try windows.checked.multiply(weights).checked.sum(dims: [2])
    }
}

extension Tensor {
    /// Eq. 1; see ``Tensor/Checked/synthesised(withMotionMaps:)``.
    public func synthesised(withMotionMaps maps: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.synthesised(withMotionMaps: maps) }
    }
}

/// Helpers for motion maps' tap layout (see ``Tensor/Checked/synthesised(withMotionMaps:)``).
public enum MotionMapSynthesis {
    /// The channel of the tap at horizontal offset `dx` and vertical offset `dy` of a `k×k` map.
    public static func channel(dx: Int, dy: Int, kernel: Int) -> Int {
        (dy + kernel / 2) * kernel + (dx + kernel / 2)
    }

    /// The odd side `k` of a map with `taps` = `k²` channels, or an error naming the count.
    static func kernelSize(taps: Int, op: String) throws(TorchError) -> Int {
        var kernel = 1
        while kernel * kernel < taps { kernel += 2 }
        guard kernel * kernel == taps else {
            throw TorchError(
                code: .value, op: op, message: "a motion map has k² channels for an odd k, got \(taps)")
        }
        return kernel
    }
}
