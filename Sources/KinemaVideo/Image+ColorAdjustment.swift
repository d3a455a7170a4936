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
        if adjustments.isEmpty { return self }
        return adjusted(adjustments, x: 0, y: 0, width: width, height: height)
    }

    /// `adjusted(adjustments)` cut to the `width × height` region at (x, y) — computed for that
    /// region only, except where a later contrast needs the whole image's mean: the operations
    /// before the last contrast run on the whole image, the rest on the region.
    public func adjusted(_ adjustments: [ColorAdjustment], x: Int, y: Int, width w: Int, height h: Int) -> Image {
        precondition(format == .rgb, "colour adjustments need an RGB image, got \(format)")
        precondition(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height,
                     "region \(w)x\(h) at (\(x), \(y)) is not inside \(width)x\(height)")
        let lastContrast = adjustments.lastIndex { if case .contrast = $0 { true } else { false } } ?? -1
        var planes = ColorPlanes(self, region: lastContrast >= 0 ? nil : (x, y, w, h))
        for (i, adjustment) in adjustments.enumerated() {
            if i == lastContrast + 1 && planes.isWholeImage && (w, h) != (width, height) {
                planes = planes.cropped(x: x, y: y, width: w, height: h)
            }
            planes.apply(adjustment)
        }
        if planes.isWholeImage && (w, h) != (width, height) { planes = planes.cropped(x: x, y: y, width: w, height: h) }
        return planes.image()
    }
}

/// An RGB image (or a region of it) as three Float32 planes, each padded to whole SIMD vectors,
/// on which the colour operations run eight pixels at a time.
private struct ColorPlanes {
    typealias Vector = SIMD8<Float>
    static let luma: (r: Float, g: Float, b: Float) = (0.299, 0.587, 0.114)

    var r: [Float], g: [Float], b: [Float]
    let width: Int, height: Int
    let isWholeImage: Bool
    var count: Int { width * height }

    /// The planes of `image`, or of its `region` only.
    init(_ image: Image, region: (x: Int, y: Int, width: Int, height: Int)?) {
        let (x0, y0, w, h) = region ?? (0, 0, image.width, image.height)
        (width, height, isWholeImage) = (w, h, region == nil || (w, h) == (image.width, image.height))
        var r: [Float] = [], g: [Float] = []
        b = Self.padded(w * h) { bp in
            r = Self.padded(w * h) { rp in
                g = Self.padded(w * h) { gp in
                    image.pixels.withUnsafeBufferPointer { bytes in
                        for row in 0..<h {
                            let from = bytes.baseAddress! + ((y0 + row) * image.width + x0) * 3
                            let (rr, gr, br) = (rp + row * w, gp + row * w, bp + row * w)
                            for col in 0..<w {
                                // `byte / 255`, the reference's ToTensor division.
                                rr[col] = Float(from[col * 3]) / 255
                                gr[col] = Float(from[col * 3 + 1]) / 255
                                br[col] = Float(from[col * 3 + 2]) / 255
                            }
                        }
                    }
                }
            }
        }
        (self.r, self.g) = (r, g)
    }

    private init(r: [Float], g: [Float], b: [Float], width: Int, height: Int) {
        (self.r, self.g, self.b, self.width, self.height, isWholeImage) = (r, g, b, width, height, false)
    }

    /// `count` values written by `fill`, then zeros up to a whole number of vectors.
    private static func padded(_ count: Int, _ fill: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        let capacity = (count + Vector.scalarCount - 1) / Vector.scalarCount * Vector.scalarCount
        return [Float](unsafeUninitializedCapacity: capacity) { out, initialized in
            fill(out.baseAddress!)
            (out.baseAddress! + count).initialize(repeating: 0, count: capacity - count)
            initialized = capacity
        }
    }

    func cropped(x: Int, y: Int, width w: Int, height h: Int) -> ColorPlanes {
        func cut(_ plane: [Float]) -> [Float] {
            Self.padded(w * h) { to in
                plane.withUnsafeBufferPointer { from in
                    for row in 0..<h { (to + row * w).update(from: from.baseAddress! + (y + row) * width + x, count: w) }
                }
            }
        }
        return ColorPlanes(r: cut(r), g: cut(g), b: cut(b), width: w, height: h)
    }

    /// Bytes, rounded to nearest (ties to even) without range checks: a value clamped to [0, 255]
    /// plus 1.5 · 2²³ holds the rounded integer in the low bits of its significand.
    func image() -> Image {
        let n = count
        let bytes = [UInt8](unsafeUninitializedCapacity: n * 3) { out, initialized in
            r.withUnsafeBufferPointer { rp in
                g.withUnsafeBufferPointer { gp in
                    b.withUnsafeBufferPointer { bp in
                        for i in stride(from: 0, to: n, by: Vector.scalarCount) {
                            let (red, green, blue) = (Self.rounded(rp, i), Self.rounded(gp, i), Self.rounded(bp, i))
                            for k in 0..<min(Vector.scalarCount, n - i) {
                                let o = (i + k) * 3
                                out[o] = UInt8(truncatingIfNeeded: red[k])
                                out[o + 1] = UInt8(truncatingIfNeeded: green[k])
                                out[o + 2] = UInt8(truncatingIfNeeded: blue[k])
                            }
                        }
                    }
                }
            }
            initialized = n * 3
        }
        return Image(width: width, height: height, format: .rgb, pixels: bytes)
    }

    @inline(__always)
    private static func rounded(_ plane: UnsafeBufferPointer<Float>, _ i: Int) -> SIMD8<UInt32> {
        let v = UnsafeRawPointer(plane.baseAddress! + i).loadUnaligned(as: Vector.self) * 255
        let clamped = v.replacing(with: 0, where: v .< 0).replacing(with: 255, where: v .> 255)
        return unsafeBitCast(clamped + 12_582_912, to: SIMD8<UInt32>.self)
    }

    mutating func apply(_ adjustment: ColorAdjustment) {
        let n = count
        r.withUnsafeMutableBufferPointer { rp in
            g.withUnsafeMutableBufferPointer { gp in
                b.withUnsafeMutableBufferPointer { bp in
                    let planes = (rp.baseAddress!, gp.baseAddress!, bp.baseAddress!)
                    switch adjustment {
                    case .brightness(let f):
                        Self.forEachVector(planes, n) { r, g, b in Self.blend(&r, &g, &b, f, other: Vector(repeating: 0)) }
                    case .contrast(let f):
                        let other = (1 - f) * Self.meanLuma(planes, n)
                        Self.forEachVector(planes, n) { r, g, b in Self.blend(&r, &g, &b, f, other: Vector(repeating: other)) }
                    case .saturation(let f):
                        Self.forEachVector(planes, n) { r, g, b in Self.blend(&r, &g, &b, f, other: (1 - f) * Self.luma(r, g, b)) }
                    case .hue(let shift):
                        Self.forEachVector(planes, n) { r, g, b in Self.rotateHue(&r, &g, &b, by: shift) }
                    case .grayscale:
                        Self.forEachVector(planes, n) { r, g, b in
                            let gray = Self.luma(r, g, b)
                            (r, g, b) = (gray, gray, gray)
                        }
                    }
                }
            }
        }
    }

    typealias Pointers = (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)

    /// Runs `body` on every vector of the three planes (the padding included) and stores the result.
    @inline(__always)
    private static func forEachVector(_ p: Pointers, _ n: Int, _ body: (inout Vector, inout Vector, inout Vector) -> Void) {
        for i in stride(from: 0, to: n, by: Vector.scalarCount) {
            var r = UnsafeRawPointer(p.0 + i).loadUnaligned(as: Vector.self)
            var g = UnsafeRawPointer(p.1 + i).loadUnaligned(as: Vector.self)
            var b = UnsafeRawPointer(p.2 + i).loadUnaligned(as: Vector.self)
            body(&r, &g, &b)
            UnsafeMutableRawPointer(p.0 + i).storeBytes(of: r, as: Vector.self)
            UnsafeMutableRawPointer(p.1 + i).storeBytes(of: g, as: Vector.self)
            UnsafeMutableRawPointer(p.2 + i).storeBytes(of: b, as: Vector.self)
        }
    }

    /// The mean luma of the first `n` pixels (accumulated in Double).
    private static func meanLuma(_ p: Pointers, _ n: Int) -> Float {
        var sum = 0.0
        for i in stride(from: 0, to: n, by: Vector.scalarCount) {
            var gray = luma(
                UnsafeRawPointer(p.0 + i).loadUnaligned(as: Vector.self), UnsafeRawPointer(p.1 + i).loadUnaligned(as: Vector.self),
                UnsafeRawPointer(p.2 + i).loadUnaligned(as: Vector.self))
            if n - i < Vector.scalarCount {
                for lane in (n - i)..<Vector.scalarCount { gray[lane] = 0 }
            }
            sum += Double(gray.sum())
        }
        return Float(sum / Double(n))
    }

    /// `clamp(f · x + other)` in every channel.
    @inline(__always)
    private static func blend(_ r: inout Vector, _ g: inout Vector, _ b: inout Vector, _ f: Float, other: Vector) {
        r = clamp01(f * r + other)
        g = clamp01(f * g + other)
        b = clamp01(f * b + other)
    }

    @inline(__always) static func clamp01(_ x: Vector) -> Vector {
        x.replacing(with: 0, where: x .< 0).replacing(with: 1, where: x .> 1)
    }

    // The standard library's pointwiseMin/Max go lane by lane; a compare and a select vectorise.
    @inline(__always) static func larger(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: a .< b) }
    @inline(__always) static func smaller(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: b .< a) }

    @inline(__always) static func luma(_ r: Vector, _ g: Vector, _ b: Vector) -> Vector {
        r * luma.r + g * luma.g + b * luma.b
    }

    /// RGB → HSV, hue shifted modulo one turn, → RGB, with the reference's formulas and tie rules
    /// (red before green before blue); selects instead of branches and `floor` (the values' ranges
    /// are known), so it runs on whole vectors.
    @inline(__always)
    static func rotateHue(_ r: inout Vector, _ g: inout Vector, _ b: inout Vector, by shift: Float) {
        let one = Vector(repeating: 1), zero = Vector(repeating: 0)
        let maxc = larger(larger(r, g), b), minc = smaller(smaller(r, g), b)
        let chroma = maxc - minc
        let colourful = maxc .!= minc
        let s = chroma / one.replacing(with: maxc, where: colourful)
        let divisor = one.replacing(with: chroma, where: colourful)
        let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
        var h6 = 4 + gc - rc
        h6.replace(with: 2 + rc - bc, where: maxc .== g)
        h6.replace(with: bc - gc, where: maxc .== r)
        var h = h6 / 6 + 1  // in [5/6, 11/6): fmod(h, 1) is h or h − 1
        h.replace(with: h - 1, where: h .>= 1)
        h += shift  // in [−0.5, 1.5): h − floor(h), as Python's `% 1.0`
        h -= zero.replacing(with: -1, where: h .< 0).replacing(with: 1, where: h .>= 1)
        let h6b = h * 6  // in [0, 6]: its floor counted by comparisons
        var floor6 = zero
        for k in 1...6 { floor6.replace(with: floor6 + 1, where: h6b .>= Float(k)) }
        let f = h6b - floor6
        let sector = floor6.replacing(with: 0, where: floor6 .>= 6)
        let v = maxc
        let p = clamp01(v * (1 - s)), q = clamp01(v * (1 - s * f)), t = clamp01(v * (1 - s * (1 - f)))
        func pick(v vSectors: (Float, Float), q qSector: Float, t tSector: Float) -> Vector {
            var out = p
            out.replace(with: t, where: sector .== tSector)
            out.replace(with: q, where: sector .== qSector)
            out.replace(with: v, where: (sector .== vSectors.0) .| (sector .== vSectors.1))
            return out
        }
        r = pick(v: (0, 5), q: 1, t: 4)
        g = pick(v: (1, 2), q: 3, t: 0)
        b = pick(v: (3, 4), q: 5, t: 2)
    }
}
