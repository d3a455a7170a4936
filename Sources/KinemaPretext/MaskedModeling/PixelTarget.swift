import KinemaData
import KinemaTensor

/// VideoMAE's pixel target (Tong et al. 2022 §3.3): each `tubelet × patch × patch` tube of the clip
/// with its input normalisation undone, flattened as `(t, y, x, channel)`; with `normalisePerPatch`
/// (VideoMAE's default `normlize_target`, transformers' `norm_pix_loss`) each channel of a tube is
/// standardised over the tube's `tubelet·patch²` values, `(v − mean) / (√var_unbiased + 1e-6)`.
/// It is computed from the normalised clip on the trainer's thread; MME's motion targets need the
/// raw frames between the sampled ones and come from the loader threads (``MMETargetComputer``).
/// KinemaTrain's `target` config section chooses between them.
public struct PixelTarget: Sendable {
    public var tubelet: Int
    public var patch: Int
    public var imageChannels: Int
    /// The statistics the clip was normalised with (VideoMAE: ImageNet's).
    public var normalization: InputNormalization
    public var normalisePerPatch: Bool

    public init(tubelet: Int = 2, patch: Int = 16, imageChannels: Int = 3, normalization: InputNormalization = .imagenet,
                normalisePerPatch: Bool = true) {
        self.tubelet = tubelet
        self.patch = patch
        self.imageChannels = imageChannels
        self.normalization = normalization
        self.normalisePerPatch = normalisePerPatch
    }

    /// Values per token.
    public var channels: Int { tubelet * patch * patch * imageChannels }

    /// The targets `[N, L, channels]` of every token of the normalised clip `[N, C, T, H, W]`, in
    /// `(t, h, w)` token order; without gradients: the target is data.
    public func callAsFunction(_ clip: Tensor) -> Tensor {
        withNoGrad {
            let tubes = self.tubes(pixels(clip))
            let (n, l) = (tubes.size(0), tubes.size(1))
            guard normalisePerPatch else { return tubes.reshaped([n, l, channels]) }
            let (mean, scale) = Self.statistics(tubes)
            return ((tubes - mean) / scale).reshaped([n, l, channels])
        }
    }

    /// What the model's `predictions` `[N, M, channels]` for the `masked` tokens (int64 `[N, M]`)
    /// of `clip` look like as a clip `[N, C, T, H, W]` of pixels in [0, 1] (unclamped): the visible
    /// tubes as they are, the masked ones predicted — with per-patch normalisation undone with the
    /// true tube's mean and deviation, as VideoMAE's visualisation does (only the detail is predicted).
    public func reconstruction(_ predictions: Tensor, masked: Tensor, clip: Tensor) -> Tensor {
        withNoGrad {
            let tubes = self.tubes(pixels(clip))
            let (n, m, depth) = (masked.size(0), masked.size(1), tubes.size(2))
            let index = masked.reshaped([n, m, 1, 1]).expanded(to: [n, m, depth, imageChannels])
            var predicted = predictions.reshaped([n, m, depth, imageChannels])
            if normalisePerPatch {
                let (mean, scale) = Self.statistics(tubes.gathered(dim: 1, index: index))
                predicted = predicted * scale + mean
            }
            return clipShaped(tubes.scattered(dim: 1, index: index, src: predicted.to(tubes.dtype)), like: clip)
        }
    }

    /// The clip's pixels `[N, C, T, H, W]` in [0, 1] with the masked tubes (`masks`, one per clip in
    /// token order, `true` = masked) painted `grey`: what the encoder sees.
    public func maskedInput(_ clip: Tensor, masks: [[Bool]], grey: Double = 0.5) -> Tensor {
        withNoGrad {
            let tubes = self.tubes(pixels(clip))
            let hidden = orTrap {
                try Tensor(masks.flatMap { $0 }, shape: [masks.count, masks[0].count, 1, 1]).checked.to(device: clip.device)
            }
            return clipShaped(tubes.masked(fill: hidden, with: grey), like: clip)
        }
    }

    /// The clip with its input normalisation undone: pixels in [0, 1].
    public func pixels(_ clip: Tensor) -> Tensor {
        let c = clip.size(1)
        // The clip lives on its device, so the statistics can move there.
        func statistic(_ values: [Float]) -> Tensor {
            orTrap { try Tensor(values, shape: [1, c, 1, 1, 1]).checked.to(clip.dtype, device: clip.device) }
        }
        return clip * statistic(normalization.std) + statistic(normalization.mean)
    }

    /// `[N, C, T'·τ, H'·p, W'·p]` → `[N, T'·H'·W', τ·p·p, C]`.
    private func tubes(_ pixels: Tensor) -> Tensor {
        let (n, c, t, h, w) = (pixels.size(0), pixels.size(1), pixels.size(2), pixels.size(3), pixels.size(4))
        return pixels.reshaped([n, c, t / tubelet, tubelet, h / patch, patch, w / patch, patch])
            .permuted([0, 2, 4, 6, 3, 5, 7, 1])
            .reshaped([n, (t / tubelet) * (h / patch) * (w / patch), tubelet * patch * patch, c])
    }

    /// The inverse of ``tubes(_:)`` for a clip of `clip`'s shape.
    private func clipShaped(_ tubes: Tensor, like clip: Tensor) -> Tensor {
        let (n, c, t, h, w) = (clip.size(0), clip.size(1), clip.size(2), clip.size(3), clip.size(4))
        return tubes.reshaped([n, t / tubelet, h / patch, w / patch, tubelet, patch, patch, c])
            .permuted([0, 7, 1, 4, 2, 5, 3, 6])
            .reshaped([n, c, t, h, w])
    }

    /// Each tube's per-channel mean and `√var_unbiased + 1e-6` over its `τ·p²` values.
    private static func statistics(_ tubes: Tensor) -> (mean: Tensor, scale: Tensor) {
        (tubes.mean(dims: [2], keepdim: true), tubes.variance(dims: [2], keepdim: true).sqrt() + 1e-6)
    }

    /// Each tube's mean colour in every one of its pixels (with per-patch normalisation: zeros).
    public func patchMeanPrediction(_ targets: Tensor) -> Tensor {
        let pixels = targets.reshaped(Array(targets.shape.dropLast()) + [tubelet * patch * patch, imageChannels])
        return pixels.mean(dims: [pixels.rank - 2], keepdim: true).expanded(to: pixels.shape).reshaped(targets.shape)
    }
}
