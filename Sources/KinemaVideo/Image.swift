/// How the bytes of an ``Image`` pixel are laid out.
public enum PixelFormat: Int, Sendable, Codable, CaseIterable {
    /// One luma byte per pixel.
    case gray = 1
    /// Red, green, blue.
    case rgb = 3
    /// Red, green, blue, alpha (straight, not premultiplied).
    case rgba = 4

    /// Bytes per pixel.
    public var channels: Int { rawValue }
}

/// An 8-bit image (or video frame): a plain value, safe to send between threads.
///
/// `pixels` holds `height × width × channels` bytes, row-major, channels interleaved (HWC), with no
/// row padding — the layout tensors are made from in KinemaData.
public struct Image: Sendable, Equatable, CustomStringConvertible {
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    /// `[height][width][channels]`, row-major.
    public var pixels: [UInt8]

    /// An image over existing bytes; `pixels.count` must be `width × height × format.channels`.
    public init(width: Int, height: Int, format: PixelFormat, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "image size must be positive, got \(width)x\(height)")
        precondition(
            pixels.count == width * height * format.channels,
            "\(width)x\(height) \(format) needs \(width * height * format.channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// An image filled with one value per channel (e.g. `[0, 0, 0]` for black RGB).
    public init(width: Int, height: Int, format: PixelFormat, filledWith value: [UInt8]) {
        precondition(value.count == format.channels, "fill value needs \(format.channels) channels")
        var pixels = [UInt8](repeating: 0, count: width * height * format.channels)
        if value.contains(where: { $0 != 0 }) {
            for i in 0..<(width * height) {
                for c in 0..<format.channels { pixels[i * format.channels + c] = value[c] }
            }
        }
        self.init(width: width, height: height, format: format, pixels: pixels)
    }

    /// Bytes per pixel.
    public var channels: Int { format.channels }

    /// Size, format and a checksum of the bytes (a full dump would swamp logs and test reports).
    public var description: String {
        let sum = pixels.reduce(into: UInt64(0)) { $0 = $0 &* 31 &+ UInt64($1) }
        return "Image(\(width)x\(height) \(format), checksum \(String(sum, radix: 16)))"
    }

    /// The bytes of pixel (x, y): `channels` values.
    public func pixel(x: Int, y: Int) -> [UInt8] {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        let start = (y * width + x) * channels
        return Array(pixels[start..<(start + channels)])
    }
}
