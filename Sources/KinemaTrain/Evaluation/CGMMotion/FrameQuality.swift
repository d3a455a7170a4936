import Foundation
import KinemaVideo

/// How close a synthesised frame is to the true one: the metrics of CGM-Net's motion evaluation
/// (Tian et al., ECCV 2020, §4.1, Table 1): the ℓ1 error on images normalised to [−1, 1] (motion
/// estimation, left) and PSNR and SSIM (1-step frame prediction, right).
///
/// The two images must have the same size and pixel format; every channel counts (RGB: the mean
/// over pixels and the three channels). The sums are exact (integers), so the results are those
/// of the definitions computed in double precision.
public enum FrameQuality {
    /// The ℓ1 error of Table 1 (left): both images mapped to [−1, 1] (`v / 127.5 − 1`), then the
    /// mean absolute difference over pixels and channels, `mean |a − b| / 127.5`. 0 for identical
    /// images, 2 at most.
    public static func l1Error(_ a: Image, _ b: Image) throws(VideoError) -> Double {
        try check(a, b, "l1 error")
        var sum = 0
        a.pixels.withUnsafeBufferPointer { p in
            b.pixels.withUnsafeBufferPointer { q in
                for i in p.indices { sum += abs(Int(p[i]) - Int(q[i])) }
            }
        }
        return Double(sum) / Double(a.pixels.count) / 127.5
    }

    /// The mean squared difference over pixels and channels, on the 8-bit scale [0, 255].
    public static func meanSquaredError(_ a: Image, _ b: Image) throws(VideoError) -> Double {
        try check(a, b, "mean squared error")
        var sum = 0
        a.pixels.withUnsafeBufferPointer { p in
            b.pixels.withUnsafeBufferPointer { q in
                for i in p.indices {
                    let d = Int(p[i]) - Int(q[i])
                    sum += d * d
                }
            }
        }
        return Double(sum) / Double(a.pixels.count)
    }

    /// The peak signal-to-noise ratio in dB on the 8-bit scale, `10 log₁₀(255² / MSE)`
    /// (scikit-image's `peak_signal_noise_ratio` with `data_range` 255, what it infers for uint8).
    /// Identical images have no noise: the result is `+∞`, as scikit-image's; a protocol that
    /// averages PSNR over clips must cap it (``CGMMotionEvaluation/psnrCap``).
    public static func psnr(_ a: Image, _ b: Image) throws(VideoError) -> Double {
        let mse = try meanSquaredError(a, b)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    static func check(_ a: Image, _ b: Image, _ metric: String) throws(VideoError) {
        guard a.width == b.width, a.height == b.height, a.format == b.format else {
            throw VideoError(path: "<image>", reason: .invalidArgument(
                "\(metric): the images must agree in size and format, got \(a.width)x\(a.height) \(a.format) and \(b.width)x\(b.height) \(b.format)"))
        }
    }
}
