import KinemaData
import KinemaTensor

/// What a masked autoencoder predicts for each token of a clip: VideoMAE's pixels here, MME's
/// trajectories and HOG next (a target computes `[N, L, channels]` from the clip).
public protocol MaskedModelingTarget {
    /// Values per token.
    var channels: Int { get }
    /// The targets `[N, L, channels]` of every token of the normalised clip `[N, C, T, H, W]`, in
    /// `(t, h, w)` token order.
    func callAsFunction(_ clip: Tensor) -> Tensor
}

/// VideoMAE's pixel target (Tong et al. 2022 §3.3): each `tubelet × patch × patch` tube of the clip
/// with its input normalisation undone, flattened as `(t, y, x, channel)`; with `normalisePerPatch`
/// (VideoMAE's default `normlize_target`, transformers' `norm_pix_loss`) each channel of a tube is
/// standardised over the tube's `tubelet·patch²` values, `(v − mean) / (√var_unbiased + 1e-6)`.
public struct PixelTarget: MaskedModelingTarget {
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

    public var channels: Int { tubelet * patch * patch * imageChannels }

    /// Without gradients: the target is data.
    public func callAsFunction(_ clip: Tensor) -> Tensor {
        let (n, c, t, h, w) = (clip.size(0), clip.size(1), clip.size(2), clip.size(3), clip.size(4))
        // The clip lives on its device, so the statistics can move there.
        func statistic(_ values: [Float]) -> Tensor {
            orTrap { try Tensor(values, shape: [1, c, 1, 1, 1]).checked.to(clip.dtype, device: clip.device) }
        }
        return withNoGrad {
            let pixels = clip * statistic(normalization.std) + statistic(normalization.mean)
            // [N, C, T'·τ, H'·p, W'·p] → [N, T'·H'·W', τ·p·p, C]
            let tubes = pixels.reshaped([n, c, t / tubelet, tubelet, h / patch, patch, w / patch, patch])
                .permuted([0, 2, 4, 6, 3, 5, 7, 1])
                .reshaped([n, (t / tubelet) * (h / patch) * (w / patch), tubelet * patch * patch, c])
            guard normalisePerPatch else { return tubes.reshaped([n, tubes.size(1), channels]) }
            let centred = tubes - tubes.mean(dims: [2], keepdim: true)
            let scale = tubes.variance(dims: [2], keepdim: true).sqrt() + 1e-6
            return (centred / scale).reshaped([n, tubes.size(1), channels])
        }
    }
}
