import KinemaTensor
import KinemaVideo

extension ClipTensor {
    /// One clip of RGB frames → `[C = 3, T, H, W]` float32, `(pixel / 255 − mean) / std` per
    /// channel (``batch(_:mean:std:threads:)`` for `[N, C, T, H, W]`).
    public static func clip(_ frames: [Image], mean: [Float] = imageNetMean, std: [Float] = imageNetStd) -> Tensor {
        batch([frames], mean: mean, std: std).squeezed(0)
    }

    /// Kinetics statistics, which MoSI's and TAdaConv's fine-tuning use (0.45 / 0.225 per channel).
    public static let kineticsMean: [Float] = [0.45, 0.45, 0.45]
    public static let kineticsStd: [Float] = [0.225, 0.225, 0.225]
}
