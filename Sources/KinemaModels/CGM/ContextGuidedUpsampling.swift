import KinemaNN

/// The Context Guided Motion Upsampling Layer, CGMUL (Tian et al., ECCV 2020, §3.2, Fig. 2,
/// Eqs. 2–5): low-resolution motion maps `[N, k², h, w]` to high-resolution ones
/// `[N, k̂², r·h, r·w]`, guided by a frame's context features and the decoder's motion features
/// (both `[N, C, h, w]`).
///
/// ```
/// S(x, y)     = 1/C · Σ_c Σ_{m,n} M_LR(m, n, x, y) · F_motion(c, x, y) · F_context(c, x − m, y − n)   (2)
/// F'_context  = S · F_context,   F'_motion = S · F_motion                                            (3)
/// F           = cat(F_context, F_motion, S, F'_context, F'_motion)        4C + 1 channels            (4)
/// M_HR        = pixel_shuffle_r(conv3×3(F))                              r²·k̂² → k̂² channels         (5)
/// ```
///
/// Eq. 2's inner sum over `(m, n)` is Eq. 1 applied to the context features, with the taps of
/// ``Tensor/Checked/synthesised(withMotionMaps:)`` (tap `(m, n)` reads the context at
/// `(x − m, y − n)`, zero outside), so `S = mean_c(F_motion · synthesised(F_context, M_LR))`.
///
/// Eq. 5 is libtorch's `pixel_shuffle`, whose input channel `c·r² + (y mod r)·r + (x mod r)` feeds
/// output channel `c` at `(x, y)`; the paper's Eq. 5 (Shi et al.'s periodic shuffling) reads channel
/// `C·r·(y mod r) + C·(x mod r) + c` instead (`C = k̂²`). The two orders differ by a fixed
/// permutation of the learnable convolution's output channels, so they describe the same layer;
/// only weights trained in the paper's order would need their `conv` rows permuted.
///
/// The output is the raw map: the network applies its ``FilterNormalization`` to it. Parameters:
/// `conv.weight` `[r²·k̂², 4C + 1, 3, 3]` and `conv.bias` (the paper does not mention a bias; the
/// convolution has PyTorch's default one).
public final class ContextGuidedUpsampling: Module {
    public let path: ParameterPath
    /// Channels `C` of the context and the motion features.
    public let channels: Int
    /// The upsampling factor `r`.
    public let scale: Int
    /// The side `k̂` of the output filters.
    public let kernel: Int
    let conv: Conv2d

    /// A CGMUL for `channels`-channel features, upsampling by `scale` to `kernel × kernel` filters
    /// (PyTorch's default initialisation of the convolution).
    public init(_ path: ParameterPath, channels: Int, scale: Int, kernel: Int) throws(ModuleError) {
        guard channels > 0, scale > 0, kernel > 0, kernel % 2 == 1 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "CGMUL needs positive channels and scale and an odd kernel, got \(channels), \(scale), \(kernel)")
        }
        self.path = path
        self.channels = channels
        self.scale = scale
        self.kernel = kernel
        conv = try Conv2d(
            path / "conv", inChannels: 4 * channels + 1, outChannels: scale * scale * kernel * kernel, kernelSize: 3,
            padding: 1)
    }

    /// Eq. 2: the similarity map `S` `[N, 1, h, w]` of the context and motion features `[N, C, h, w]`
    /// under the low-resolution maps `[N, k², h, w]`.
    public static func similarity(context: Tensor, motion: Tensor, maps: Tensor) -> Tensor {
        (motion * context.synthesised(withMotionMaps: maps)).mean(dims: [1], keepdim: true)
    }

    /// Eqs. 2–5: the raw high-resolution maps `[N, k̂², r·h, r·w]`.
    public func callAsFunction(context: Tensor, motion: Tensor, maps: Tensor) -> Tensor {
        precondition(
            context.shape == motion.shape && context.rank == 4 && context.shape[1] == channels,
            "CGMUL at '\(path)' needs context and motion features [N, \(channels), h, w], got "
                + "\(context.summary) and \(motion.summary)")
        let s = Self.similarity(context: context, motion: motion, maps: maps)
        let features = Tensor.cat([context, motion, s, s * context, s * motion], dim: 1)
        return conv(features).pixelShuffle(upscaleFactor: scale)
    }
}
