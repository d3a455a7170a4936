import KinemaTensor
import KinemaVideo

extension ClipTensor {
    /// One clip of RGB frames → `[C = 3, T, H, W]` float32, `(pixel / 255 − mean) / std` per
    /// channel (``batch(_:_:threads:)`` for `[N, C, T, H, W]`).
    public static func clip(_ frames: [Image], _ normalization: InputNormalization) -> Tensor {
        batch([frames], normalization).squeezed(0)
    }
}
