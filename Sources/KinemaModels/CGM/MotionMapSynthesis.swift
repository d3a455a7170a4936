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
/// `(m, n) = (dx, dy)` moves the image `dx` to the right and `dy` down.
///
/// ```swift
/// let next = frame.synthesised(withMotionMaps: maps)    // [N, C, H, W] with maps [N, k², H, W]
/// ```
///
/// Formulation: shift and accumulate. The frames are zero-padded by `r` once; each tap's map
/// (one `unbind` of the maps along the tap axis) multiplies the padded frames' `H×W` window
/// shifted by the tap's offset (a strided view, no copy), and the `k²` products are summed in tap
/// order, as Eq. 1 reads. The result is differentiable in both the frames and the maps through
/// libtorch's own pad, slices, products and sums; the maps' gradient is one `stack` (`unbind`'s
/// backward) rather than `k²` zero-filled map-sized tensors (`select`'s). Nothing larger than a
/// frame batch is allocated: no `N·C·k²·H·W` tensor.
///
/// Why not `unfold` (the earlier formulation: `F.unfold` of the frames viewed as
/// `[N, C, k², H, W]`, weighted by the flipped maps, summed over the taps): it materialises that
/// `N·C·k²·H·W` tensor twice forward and again in the backward (CGM-Net's L_HR at batch 4, 16
/// frames of 112² RGB with `k̂ = 9`: 195 M floats, 780 MB, per tensor). Measured in PyTorch 2.11
/// (same libtorch as Kinema's), forward + backward with the maps requiring gradients, one thread,
/// tcmalloc, on the shared 2-core machine under load (so best of 3): frames `[64, 3, 112, 112]`
/// with `k = 9` 0.24 s shift-and-accumulate against 0.54 s unfold, peak RSS above the inputs
/// 0.33 GB against 1.6 GB; CGMUL's Eq. 2 (context `[64, 128, 28, 28]` requiring gradients, `k =
/// 3`) 0.15 s against 0.19 s, 0.21 GB against 0.93 GB. (With glibc's malloc the unfold
/// formulation's fresh 780 MB buffers also page-fault every step: 2.2 s against 0.45 s.)
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
        let (n, h, w) = (base.shape[0], base.shape[2], base.shape[3])
        let kernel = try MotionMapSynthesis.kernelSize(taps: maps.shape[1], op: op)
        guard maps.shape[0] == n, maps.shape[2] == h, maps.shape[3] == w else {
            throw TorchError(
                code: .value, op: op, message: "the maps' batch and size must be the frames' (\(n), \(h)×\(w))",
                operands: [base.summary, maps.summary])
        }
        let r = kernel / 2
        let padded = try base.checked.padded([r, r, r, r])
        let taps = try maps.checked.unbind(dim: 1)
        var sum: Tensor?
        for dy in -r...r {
            let rows = try padded.checked.narrowed(dim: 2, start: r - dy, length: h)
            for dx in -r...r {
                let shifted = try rows.checked.narrowed(dim: 3, start: r - dx, length: w)
                let tap = try taps[MotionMapSynthesis.channel(dx: dx, dy: dy, kernel: kernel)].checked.unsqueezed(1)
                let term = try tap.checked.multiply(shifted)
                if let partial = sum { sum = try partial.checked.add(term) } else { sum = term }
            }
        }
        return sum!  // k ≥ 1: at least one tap
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
