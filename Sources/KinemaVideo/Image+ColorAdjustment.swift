#if canImport(Glibc)
import Glibc
#endif

/// One colour operation of a colour jitter, in the formulas of torchvision's tensor functional ops
/// as TAdaConv's `ColorJitter` (the MoSI generator's) writes them, on values in [0, 1]:
/// a blend is `clamp(f · image + (1 − f) · other, 0, 1)`, gray is ITU-R 601 luma
/// `0.299 R + 0.587 G + 0.114 B`.
public enum ColorAdjustment: Sendable, Equatable {
    /// Blend with black: `clamp(f · x)`. 1 keeps the image.
    case brightness(Float)
    /// Blend with the mean luma of the whole image. 1 keeps the image, 0 gives flat gray.
    case contrast(Float)
    /// Blend with the pixel's own luma. 1 keeps the image, 0 gives gray.
    case saturation(Float)
    /// Hue rotation in HSV by this fraction of a turn, in [−0.5, 0.5].
    case hue(Float)
    /// Luma in all three channels.
    case grayscale
}

extension Image {
    /// The RGB image with `adjustments` applied in order. The arithmetic runs in Float32 on
    /// `byte / 255` and is rounded to bytes once at the end (the reference keeps floats: results
    /// agree to within that rounding).
    public func adjusted(_ adjustments: [ColorAdjustment]) -> Image {
        precondition(format == .rgb, "colour adjustments need an RGB image, got \(format)")
        if adjustments.isEmpty { return self }
        var values = [Float](unsafeUninitializedCapacity: pixels.count) { buffer, initialized in
            pixels.withUnsafeBufferPointer { bytes in
                for i in 0..<bytes.count { buffer[i] = Float(bytes[i]) / 255 }
            }
            initialized = pixels.count
        }
        values.withUnsafeMutableBufferPointer { v in
            for adjustment in adjustments { ColorKernels.apply(adjustment, to: v) }
        }
        let out = [UInt8](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            values.withUnsafeBufferPointer { v in
                for i in 0..<v.count { buffer[i] = UInt8(min(max(v[i] * 255, 0), 255).rounded()) }
            }
            initialized = values.count
        }
        return Image(width: width, height: height, format: .rgb, pixels: out)
    }
}

/// Loops over interleaved RGB floats, written so the compiler can vectorise the blends.
private enum ColorKernels {
    static let lumaWeights: (r: Float, g: Float, b: Float) = (0.299, 0.587, 0.114)

    static func apply(_ adjustment: ColorAdjustment, to v: UnsafeMutableBufferPointer<Float>) {
        switch adjustment {
        case .brightness(let f):
            for i in 0..<v.count { v[i] = clamp01(f * v[i]) }
        case .contrast(let f):
            let mean = meanLuma(v)
            let other = (1 - f) * mean
            for i in 0..<v.count { v[i] = clamp01(f * v[i] + other) }
        case .saturation(let f):
            let g = 1 - f
            for p in stride(from: 0, to: v.count, by: 3) {
                let gray = luma(v[p], v[p + 1], v[p + 2]) * g
                v[p] = clamp01(f * v[p] + gray)
                v[p + 1] = clamp01(f * v[p + 1] + gray)
                v[p + 2] = clamp01(f * v[p + 2] + gray)
            }
        case .hue(let shift):
            for p in stride(from: 0, to: v.count, by: 3) {
                (v[p], v[p + 1], v[p + 2]) = rotateHue(v[p], v[p + 1], v[p + 2], by: shift)
            }
        case .grayscale:
            for p in stride(from: 0, to: v.count, by: 3) {
                let gray = luma(v[p], v[p + 1], v[p + 2])
                (v[p], v[p + 1], v[p + 2]) = (gray, gray, gray)
            }
        }
    }

    @inline(__always) static func clamp01(_ x: Float) -> Float { min(max(x, 0), 1) }

    @inline(__always) static func luma(_ r: Float, _ g: Float, _ b: Float) -> Float {
        r * lumaWeights.r + g * lumaWeights.g + b * lumaWeights.b
    }

    static func meanLuma(_ v: UnsafeMutableBufferPointer<Float>) -> Float {
        var sum = 0.0
        for p in stride(from: 0, to: v.count, by: 3) { sum += Double(luma(v[p], v[p + 1], v[p + 2])) }
        return Float(sum / Double(v.count / 3))
    }

    /// RGB → HSV, hue shifted (modulo one turn), → RGB, in the reference's formulas (ties between
    /// channels resolved in the order red, green, blue).
    @inline(__always)
    static func rotateHue(_ r: Float, _ g: Float, _ b: Float, by shift: Float) -> (Float, Float, Float) {
        let maxc = max(r, g, b), minc = min(r, g, b)
        if maxc == minc { return (r, g, b) }  // gray: saturation 0, any hue gives the same colour
        let chroma = maxc - minc
        let s = chroma / maxc
        let rc = (maxc - r) / chroma, gc = (maxc - g) / chroma, bc = (maxc - b) / chroma
        let h6: Float = maxc == r ? bc - gc : (maxc == g ? 2 + rc - bc : 4 + gc - rc)
        var h = (h6 / 6 + 1).truncatingRemainder(dividingBy: 1) + shift
        h -= h.rounded(.down)  // Python's `h % 1.0`: into [0, 1)
        let sector = (h * 6).rounded(.down)
        let f = h * 6 - sector
        let v = maxc
        let p = clamp01(v * (1 - s)), q = clamp01(v * (1 - s * f)), t = clamp01(v * (1 - s * (1 - f)))
        switch Int(sector) % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }
}
