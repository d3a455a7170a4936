import Foundation
import KinemaData
import KinemaVideo

/// Small synthetic assets for the motion-benchmark tests: cut-outs with exact alpha mattes and a
/// background in which every pixel differs from its neighbours (so any camera shift shows).
enum BenchmarkFixtures {
    /// An opaque disc of `radius` px in a transparent square, in `colour`.
    static func disc(radius: Int, colour: [UInt8]) -> Image {
        let side = 2 * radius + 1
        var pixels = [UInt8](repeating: 0, count: side * side * 4)
        for y in 0..<side {
            for x in 0..<side where (x - radius) * (x - radius) + (y - radius) * (y - radius) <= radius * radius {
                let i = (y * side + x) * 4
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = (colour[0], colour[1], colour[2], 255)
            }
        }
        return Image(width: side, height: side, format: .rgba, pixels: pixels)
    }

    /// An opaque horizontal bar `length × thickness` in the middle of a transparent margin of 2 px.
    static func bar(length: Int, thickness: Int) -> Image {
        let (w, h) = (length + 4, thickness + 4)
        var pixels = [UInt8](repeating: 0, count: w * h * 4)
        for y in 2..<(2 + thickness) {
            for x in 2..<(2 + length) { pixels.replaceSubrange(((y * w + x) * 4)..<((y * w + x) * 4 + 4), with: [250, 40, 40, 255]) }
        }
        return Image(width: w, height: h, format: .rgba, pixels: pixels)
    }

    /// A `width × height` RGB texture whose bytes come from a hash of the position.
    static func texture(width: Int, height: Int, salt: Int) -> Image {
        let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761 &+ salt &* 97) >> 7) }
        return Image(width: width, height: height, format: .rgb, pixels: pixels)
    }

    /// Photo assets: 10 discs of different colours and 4 textures (so both splits get their own).
    static func photoAssets(discRadius: Int = 12) throws -> MotionBenchmarkAssets {
        let cutouts = (0..<10).map { (n: Int) -> (name: String, image: Image) in
            let colour: [UInt8] = [UInt8(40 + 20 * n), 200, UInt8(250 - 20 * n)]
            return ("disc\(n)", disc(radius: discRadius, colour: colour))
        }
        let backgrounds = (0..<4).map { (n: Int) -> (name: String, image: Image) in ("texture\(n)", texture(width: 160, height: 120, salt: n)) }
        return try MotionBenchmarkAssets(cutouts: cutouts, backgrounds: backgrounds)
    }

    /// The screen-space centroid and area (sum of alpha / 255) of a premultiplied RGBA layer.
    static func alphaCentroid(_ layer: Image) -> (x: Double, y: Double, area: Double) {
        var (sum, sx, sy) = (0.0, 0.0, 0.0)
        for y in 0..<layer.height {
            for x in 0..<layer.width {
                let a = Double(layer.pixels[(y * layer.width + x) * 4 + 3]) / 255
                (sum, sx, sy) = (sum + a, sx + a * Double(x), sy + a * Double(y))
            }
        }
        return (sx / sum, sy / sum, sum)
    }

    /// The orientation (degrees in [0, 180), clockwise on screen) of a layer's alpha from its second
    /// moments.
    static func alphaOrientation(_ layer: Image) -> Double {
        let (cx, cy, _) = alphaCentroid(layer)
        var (mxx, myy, mxy) = (0.0, 0.0, 0.0)
        for y in 0..<layer.height {
            for x in 0..<layer.width {
                let a = Double(layer.pixels[(y * layer.width + x) * 4 + 3])
                let (dx, dy) = (Double(x) - cx, Double(y) - cy)
                (mxx, myy, mxy) = (mxx + a * dx * dx, myy + a * dy * dy, mxy + a * dx * dy)
            }
        }
        let degrees = 0.5 * atan2(2 * mxy, mxx - myy) * 180 / .pi
        return degrees < 0 ? degrees + 180 : degrees
    }
}
