import KinemaNN

/// CGM-Net's self-supervised loss (Tian et al., ECCV 2020, §3.5, Eqs. 6–7 with λ2 = 0):
/// `L = L_HR + λ1·L_LR`, each the Charbonnier penalty `ρ(d) = √(d² + ε²)` (ε = 1e-6) between the
/// frames the motion maps synthesise and the real ones.
///
/// `frames` `[N, C, T + 1, H, W]` are the network's input clip (frames `0…T−1`) followed by the
/// unseen next frame `T`; the targets are frames `1…T`, so the network learns to "reconstruct all
/// input frames and predict the next future frame" at once. `L_LR` compares the low-resolution
/// reconstructions with frames `1…T` area-downsampled by `r` (the "downsampled input videos" of the
/// intermediate supervision). The paper normalises images to [−1, 1]; the caller does.
///
/// Eq. 6 sums `ρ` over the frames; Kinema takes the mean over every element (frames, channels,
/// pixels) of each term, so that λ1 weighs the two resolutions equally whatever their pixel counts
/// (the mean reduction of DAIN's Charbonnier loss, which the paper cites for ρ).
public struct CGMReconstructionLoss: Sendable {
    /// λ1, the weight of `L_LR` (1 in the paper).
    public var lowResolutionWeight: Double
    /// ε of the Charbonnier penalty (1e-6 in the paper).
    public var epsilon: Double

    public init(lowResolutionWeight: Double = 1, epsilon: Double = 1e-6) {
        self.lowResolutionWeight = lowResolutionWeight
        self.epsilon = epsilon
    }

    /// The three values of one step.
    public struct Value {
        /// `L_HR + λ1·L_LR`.
        public let total: Tensor
        public let highResolution: Tensor
        public let lowResolution: Tensor
    }

    /// The loss of `output`, predicted from `frames[:, :, 0..<T]`, against `frames[:, :, 1...T]`.
    public func callAsFunction(_ output: CGMNetOutput, frames: Tensor) -> Value {
        let t = output.highResolutionMaps.shape[1]
        precondition(
            frames.rank == 5 && frames.shape[2] == t + 1,
            "the loss needs the \(t) input frames and the next one, [N, C, \(t + 1), H, W]; got \(frames.summary)")
        let clip = frames.narrowed(dim: 2, start: 0, length: t)
        let targets = frames.narrowed(dim: 2, start: 1, length: t)
        let high = output.reconstructions(of: clip).charbonnierLoss(targets, epsilon: epsilon)
        let low = output.lowResolutionReconstructions(of: clip)
            .charbonnierLoss(output.areaDownsampled(targets), epsilon: epsilon)
        return Value(total: high + low * lowResolutionWeight, highResolution: high, lowResolution: low)
    }
}
