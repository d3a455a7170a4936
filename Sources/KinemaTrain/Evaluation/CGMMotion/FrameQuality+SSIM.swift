import KinemaVideo

extension FrameQuality {
    /// The side of the SSIM window (scikit-image's default `win_size`).
    public static let ssimWindow = 7

    /// The structural similarity index (Wang et al., "Image quality assessment: from error
    /// visibility to structural similarity", IEEE TIP 2004) of CGM-Net's Table 1 (right), computed
    /// as scikit-image 0.26's `structural_similarity(a, b, channel_axis=-1)` computes it on uint8
    /// images with its documented defaults:
    ///
    /// - a 7 × 7 **uniform** window (`win_size=7`, `gaussian_weights=False`; not the Gaussian
    ///   σ = 1.5 window of Wang et al.'s reference code),
    /// - sample (co)variances (`use_sample_covariance=True`: the window's moments times 49/48),
    /// - `K1 = 0.01`, `K2 = 0.03`, `data_range = 255` (inferred from uint8), so
    ///   `C1 = (0.01·255)²`, `C2 = (0.03·255)²`,
    /// - `SSIM(x) = (2μaμb + C1)(2σab + C2) / ((μa² + μb² + C1)(σa² + σb² + C2))` at every pixel whose
    ///   window lies inside the image (the border of 3 pixels is left out, as scikit-image crops it),
    ///   averaged over those pixels, then over channels.
    ///
    /// The window sums come from summed-area tables of the 8-bit values, exact in integers, so the
    /// only rounding is the final formula's (scikit-image's float64 box filter differs from it in
    /// the last bits). Both sides must be at least 7 pixels.
    public static func ssim(_ a: Image, _ b: Image) throws(VideoError) -> Double {
        try check(a, b, "SSIM")
        let k = ssimWindow
        guard a.width >= k, a.height >= k else {
            throw VideoError(path: "<image>", reason: .invalidArgument("SSIM needs images of at least \(k)x\(k), got \(a.width)x\(a.height)"))
        }
        let n = Double(k * k)
        let covarianceNorm = n / (n - 1)
        let (c1, c2) = ((0.01 * 255) * (0.01 * 255), (0.03 * 255) * (0.03 * 255))
        let (w, h, channels) = (a.width, a.height, a.channels)
        let rows = h - k + 1, columns = w - k + 1
        var total = 0.0
        for channel in 0..<channels {
            let tables = WindowSums(a, b, channel: channel)
            var sum = 0.0
            for y in 0..<rows {
                for x in 0..<columns {
                    let s = tables.sums(x: x, y: y, side: k)
                    let (ma, mb) = (Double(s.a) / n, Double(s.b) / n)
                    let va = covarianceNorm * (Double(s.aa) / n - ma * ma)
                    let vb = covarianceNorm * (Double(s.bb) / n - mb * mb)
                    let vab = covarianceNorm * (Double(s.ab) / n - ma * mb)
                    sum += ((2 * ma * mb + c1) * (2 * vab + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
                }
            }
            total += sum / Double(rows * columns)
        }
        return total / Double(channels)
    }
}

/// Summed-area tables of one channel of two images: a, b, a², b², ab, each `(h + 1) × (w + 1)`
/// integers, so any window's sums are exact.
private struct WindowSums {
    private let stride: Int
    private var tables: [[Int]]

    init(_ a: Image, _ b: Image, channel: Int) {
        let (w, h, channels) = (a.width, a.height, a.channels)
        stride = w + 1
        tables = Array(repeating: [Int](repeating: 0, count: (w + 1) * (h + 1)), count: 5)
        a.pixels.withUnsafeBufferPointer { p in
            b.pixels.withUnsafeBufferPointer { q in
                for y in 0..<h {
                    var row = [0, 0, 0, 0, 0]
                    for x in 0..<w {
                        let (u, v) = (Int(p[(y * w + x) * channels + channel]), Int(q[(y * w + x) * channels + channel]))
                        row[0] += u
                        row[1] += v
                        row[2] += u * u
                        row[3] += v * v
                        row[4] += u * v
                        let at = (y + 1) * stride + x + 1
                        for t in 0..<5 { tables[t][at] = tables[t][at - stride] + row[t] }
                    }
                }
            }
        }
    }

    /// The sums over the `side × side` window whose top-left pixel is (x, y).
    func sums(x: Int, y: Int, side: Int) -> (a: Int, b: Int, aa: Int, bb: Int, ab: Int) {
        let (topLeft, topRight) = (y * stride + x, y * stride + x + side)
        let (bottomLeft, bottomRight) = ((y + side) * stride + x, (y + side) * stride + x + side)
        func window(_ t: Int) -> Int { tables[t][bottomRight] - tables[t][topRight] - tables[t][bottomLeft] + tables[t][topLeft] }
        return (window(0), window(1), window(2), window(3), window(4))
    }
}
