/// Per-pixel operations in PIL's arithmetic (the reference of timm's RandAugment, whose colour
/// operations are PIL lookup tables and `ImageEnhance` blends).
extension Image {
    /// Every byte of channel c replaced by `tables[c][byte]`: PIL's `Image.point` with one table
    /// per band. `tables` holds one 256-entry table per channel.
    public func mapped(_ tables: [[UInt8]]) -> Image {
        precondition(tables.count == channels && tables.allSatisfy { $0.count == 256 }, "one 256-entry table per channel")
        let c = channels
        var out = pixels
        tables.flatMap { $0 }.withUnsafeBufferPointer { table in
            out.withUnsafeMutableBufferPointer { bytes in
                for pixel in stride(from: 0, to: bytes.count, by: c) {
                    for k in 0..<c { bytes[pixel + k] = table[k * 256 + Int(bytes[pixel + k])] }
                }
            }
        }
        return Image(width: width, height: height, format: format, pixels: out)
    }

    /// Each channel's histogram, 256 counts (PIL's `Image.histogram`, one band after another).
    public func histograms() -> [[Int]] {
        let c = channels
        var counts = [Int](repeating: 0, count: c * 256)
        pixels.withUnsafeBufferPointer { bytes in
            for pixel in stride(from: 0, to: bytes.count, by: c) {
                for k in 0..<c { counts[k * 256 + Int(bytes[pixel + k])] += 1 }
            }
        }
        return (0..<c).map { Array(counts[($0 * 256)..<(($0 + 1) * 256)]) }
    }

    /// `degenerate + factor · (self − degenerate)` per byte: PIL's `ImageEnhance` (its
    /// `Image.blend(degenerate, image, factor)`), in Float32, clamped to [0, 255] and truncated
    /// toward zero as PIL's `ImagingBlend` does. 1 keeps the image, 0 gives `degenerate`, factors
    /// above 1 extrapolate away from it. `degenerate` must have this image's size and format.
    public func blended(from degenerate: Image, factor: Float) -> Image {
        precondition(
            degenerate.width == width && degenerate.height == height && degenerate.format == format,
            "the degenerate image must be \(width)x\(height) \(format)")
        var out = pixels
        degenerate.pixels.withUnsafeBufferPointer { base in
            out.withUnsafeMutableBufferPointer { bytes in
                for i in 0..<bytes.count {
                    let value = Float(base[i]) + factor * Float(Int(bytes[i]) - Int(base[i]))
                    bytes[i] = UInt8(min(max(value, 0), 255))
                }
            }
        }
        return Image(width: width, height: height, format: format, pixels: out)
    }
}
