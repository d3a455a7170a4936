import KinemaTensor
import KinemaVideo

/// Frames become tensors here and nowhere else (ARCHITECTURE.md): a batch of clips of RGB
/// ``Image``s (HWC bytes) becomes one `[N, 3, T, H, W]` float tensor, normalised per channel.
///
/// The bytes are gathered once into a `[N, T, H, W, 3]` uint8 tensor; the permutation, the
/// conversion to float and the normalisation run in libtorch.
public enum ClipTensor {
    /// ImageNet statistics, which torchvision's video models and MoSI use.
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    /// `clips[n][t]` → `[N, 3, T, H, W]` float32 with `(pixel / 255 - mean) / std`.
    /// Every frame must be RGB and of one size; every clip of one length.
    public static func batch(
        _ clips: [[Image]], mean: [Float] = imageNetMean, std: [Float] = imageNetStd
    ) -> Tensor {
        precondition(!clips.isEmpty && !clips[0].isEmpty, "a batch needs at least one clip of one frame")
        let first = clips[0][0]
        let (frames, height, width) = (clips[0].count, first.height, first.width)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(clips.count * frames * height * width * 3)
        for clip in clips {
            precondition(clip.count == frames, "clips must have equal lengths (\(clip.count) vs \(frames))")
            for frame in clip {
                precondition(
                    frame.format == .rgb && frame.width == width && frame.height == height,
                    "frames must be RGB \(width)x\(height), got \(frame.format) \(frame.width)x\(frame.height)")
                bytes.append(contentsOf: frame.pixels)
            }
        }
        let raw = Tensor(bytes, shape: [clips.count, frames, height, width, 3])
        let x = raw.permuted([0, 4, 1, 2, 3]).to(.float32) / 255
        let m = Tensor(mean, shape: [1, 3, 1, 1, 1])
        let s = Tensor(std, shape: [1, 3, 1, 1, 1])
        return (x - m) / s
    }
}
