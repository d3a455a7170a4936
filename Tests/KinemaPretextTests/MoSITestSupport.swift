import Foundation
import KinemaMediaTestSupport
import KinemaPretext
import KinemaTensor
import KinemaTestSupport
import KinemaVideo
import Testing

/// Tests/Fixtures/mosi.safetensors, written by Tools/fixtures/gen_mosi.py from the official
/// generator's arithmetic.
func mosiFixture(sourceLocation: SourceLocation = #_sourceLocation) throws -> Safetensors.Contents {
    try fixture("mosi", sourceLocation: sourceLocation)
}

extension Safetensors.Contents {
    func ints(_ name: String) throws -> [Int] { try tensor(name).array(of: Int.self) }
    func doubles(_ name: String) throws -> [Double] { try tensor(name).array(of: Double.self) }
    func floats(_ name: String) throws -> [Float] { try tensor(name).array(of: Float.self) }
    func bytes(_ name: String) throws -> [UInt8] { try tensor(name).array(of: UInt8.self) }
}

/// A deterministic texture whose pixel at (x, y) spells its own position (x and y up to 4095), so a
/// window's content tells exactly where it was cut.
func texture(width: Int, height: Int) -> Image {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            let i = (y * width + x) * 3
            pixels[i] = UInt8(x & 255)
            pixels[i + 1] = UInt8(y & 255)
            pixels[i + 2] = UInt8((x >> 8) | (y >> 8) << 4)
        }
    }
    return Image(width: width, height: height, format: .rgb, pixels: pixels)
}

/// The texture position a pixel of ``texture(width:height:)`` spells.
func texturePosition(_ image: Image, x: Int, y: Int) -> (x: Int, y: Int) {
    let p = image.pixel(x: x, y: y)
    return (Int(p[0]) + 256 * Int(p[2] & 15), Int(p[1]) + 256 * Int(p[2] >> 4))
}


/// A small configuration that renders fast in debug builds: N 8, L 16, Ls 48, no colour.
func smallConfig(
    split: MoSISplit = .train, mask: MoSIStaticMask = .none, color: MoSIColorJitter = .none,
    flip: MoSIFlipPolicy = .none, jitter: ClosedRange<Double> = 1...1
) -> MoSIConfig {
    MoSIConfig(
        frameCount: 8, cropSize: 16, standardSize: 48, split: split, distanceJitter: jitter, staticMask: mask,
        colorJitter: color, flip: flip)
}

/// The `side²` window of `image` at (x, y) (an independent crop for comparisons).
func windowBytes(_ image: Image, x: Int, y: Int, side: Int) -> [UInt8] {
    var out: [UInt8] = []
    for row in y..<(y + side) {
        let from = (row * image.width + x) * 3
        out += image.pixels[from..<(from + side * 3)]
    }
    return out
}

/// The bytes of the `width × height` box at (x, y) of an image.
func boxBytes(_ image: Image, x: Int, y: Int, width: Int, height: Int) -> [UInt8] {
    var out: [UInt8] = []
    for row in y..<(y + height) {
        let from = (row * image.width + x) * 3
        out += image.pixels[from..<(from + width * 3)]
    }
    return out
}
