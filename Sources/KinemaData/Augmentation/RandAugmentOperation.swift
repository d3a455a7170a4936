import Foundation
import KinemaVideo

/// One RandAugment operation with its argument, rendered on an RGB frame as PIL renders timm's
/// (`timm/data/auto_augment.py` calls `ImageOps`, `ImageEnhance` and `Image.transform`): the
/// deterministic half of ``RandAugment``.
public enum RandAugmentOperation: Sendable, Equatable {
    /// Each channel stretched to [0, 255] (`ImageOps.autocontrast`).
    case autoContrast
    /// Each channel's histogram equalised (`ImageOps.equalize`).
    case equalize
    /// 255 − value.
    case invert
    /// Counter-clockwise about the image centre (`Image.rotate`).
    case rotate(degrees: Double)
    /// The top `bits` bits of each value kept (`ImageOps.posterize`; 0 gives black).
    case posterize(bits: Int)
    /// Values at or above `threshold` inverted (`ImageOps.solarize`; 256 changes nothing).
    case solarize(threshold: Int)
    /// `min(255, value + amount)` for values below 128 (timm's `solarize_add`).
    case solarizeAdd(Int)
    /// Blend with the image's luma (`ImageEnhance.Color`).
    case color(Double)
    /// Blend with the rounded mean luma (`ImageEnhance.Contrast`).
    case contrast(Double)
    /// Blend with black (`ImageEnhance.Brightness`).
    case brightness(Double)
    /// Blend with the image smoothed by PIL's `SMOOTH` kernel (`ImageEnhance.Sharpness`).
    case sharpness(Double)
    /// Output (x, y) reads the input at (x + f·y, y): timm's `shear_x`, about the top-left corner.
    case shearX(Double)
    /// Output (x, y) reads the input at (x, y + f·x).
    case shearY(Double)
    /// Output (x, y) reads the input at (x + f·width, y): the image moves left for f > 0.
    case translateX(Double)
    /// Output (x, y) reads the input at (x, y + f·height).
    case translateY(Double)

    /// timm's `_FILL`: where geometry uncovers the frame.
    public static let fill: [UInt8] = [128, 128, 128]
    /// VideoMAE's `--train_interpolation bicubic`.
    public static let interpolation = Interpolation.bicubic
    /// PIL's `ImageFilter.SMOOTH`: 5 at the centre, 1 around, over 13.
    static let smooth: [Float] = [1, 1, 1, 1, 5, 1, 1, 1, 1].map { $0 / 13 }

    /// The operation applied to an RGB frame.
    public func apply(to image: Image) throws(VideoError) -> Image {
        precondition(image.format == .rgb, "RandAugment needs RGB frames, got \(image.format)")
        let (w, h) = (Double(image.width), Double(image.height))
        switch self {
        case .autoContrast:
            return image.mapped(image.histograms().map(Self.autoContrastTable))
        case .equalize:
            return image.mapped(image.histograms().map(Self.equalizeTable))
        case .invert:
            return image.mapped(lookup { 255 - $0 })
        case .posterize(let bits):
            let mask = bits >= 8 ? 255 : ~((1 << (8 - max(bits, 0))) - 1) & 255
            return image.mapped(lookup { $0 & mask })
        case .solarize(let threshold):
            return image.mapped(lookup { $0 < threshold ? $0 : 255 - $0 })
        case .solarizeAdd(let amount):
            return image.mapped(lookup { $0 < 128 ? min(255, $0 + amount) : $0 })
        case .color(let factor):
            let gray = try image.converted(to: .gray).converted(to: .rgb)
            return image.blended(from: gray, factor: Float(factor))
        case .contrast(let factor):
            let luma = try image.converted(to: .gray).pixels
            let mean = UInt8(Double(luma.reduce(0) { $0 + Int($1) }) / Double(luma.count) + 0.5)
            let flat = Image(width: image.width, height: image.height, format: .rgb, filledWith: [mean, mean, mean])
            return image.blended(from: flat, factor: Float(factor))
        case .brightness(let factor):
            let black = Image(width: image.width, height: image.height, format: .rgb, filledWith: [0, 0, 0])
            return image.blended(from: black, factor: Float(factor))
        case .sharpness(let factor):
            return image.blended(from: try image.filtered3x3(Self.smooth), factor: Float(factor))
        case .rotate(let degrees):
            // PIL's `rotate`: output p reads R(p − c) + c, R the rotation by −degrees, c the centre.
            let angle = -degrees * .pi / 180
            let (cosine, sine) = (cos(angle), sin(angle))
            let (cx, cy) = (w / 2, h / 2)
            return try warp(image, [cosine, sine, cx - cosine * cx - sine * cy, -sine, cosine, cy + sine * cx - cosine * cy])
        case .shearX(let f):
            return try warp(image, [1, f, 0, 0, 1, 0])
        case .shearY(let f):
            return try warp(image, [1, 0, 0, f, 1, 0])
        case .translateX(let f):
            return try warp(image, [1, 0, f * w, 0, 1, 0])
        case .translateY(let f):
            return try warp(image, [1, 0, 0, 0, 1, f * h])
        }
    }

    private func warp(_ image: Image, _ matrix: [Double]) throws(VideoError) -> Image {
        try image.transformedAffine(matrix, interpolation: Self.interpolation, fill: Self.fill)
    }

    /// The same 256-entry table for the three channels.
    private func lookup(_ value: (Int) -> Int) -> [[UInt8]] {
        let table = (0..<256).map { UInt8(value($0)) }
        return [table, table, table]
    }

    /// `ImageOps.autocontrast` (no cut-off): the lowest and highest values present go to 0 and 255,
    /// `int(v · scale + offset)` between; a channel of one value is unchanged.
    static func autoContrastTable(_ histogram: [Int]) -> [UInt8] {
        guard let lo = histogram.firstIndex(where: { $0 > 0 }), let hi = histogram.lastIndex(where: { $0 > 0 }), hi > lo
        else { return (0..<256).map { UInt8($0) } }
        let scale = 255 / Double(hi - lo)
        let offset = -Double(lo) * scale
        return (0..<256).map { UInt8(min(max(Int(Double($0) * scale + offset), 0), 255)) }
    }

    /// `ImageOps.equalize`: with `step` = (pixels − the count of the highest value present) / 255
    /// (integer division), value i maps to (step / 2 + pixels below i) / step; a channel with one
    /// value present, or a zero step, is unchanged.
    static func equalizeTable(_ histogram: [Int]) -> [UInt8] {
        let present = histogram.filter { $0 > 0 }
        let step = present.count > 1 ? (present.reduce(0, +) - present.last!) / 255 : 0
        guard step > 0 else { return (0..<256).map { UInt8($0) } }
        var below = step / 2
        return histogram.map { count in
            defer { below += count }
            return UInt8(min(below / step, 255))
        }
    }
}
