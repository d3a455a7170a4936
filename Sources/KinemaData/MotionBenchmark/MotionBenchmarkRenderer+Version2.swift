// Version 2 of the renderer: one resampling chain for every object in every frame of every class,
// so that no class carries a resampling signature of its own (in version 1 only growing and
// shrinking objects were shrunk by the bilinear warp, which aliases). Each frame, the sprite is
// resized to its on-screen size with area averaging (Image.resized: no aliasing when shrinking),
// then rotated and placed by a warp whose scale is within half a pixel of 1 (it only corrects the
// rounding of the resized size, so bilinear interpolation is exact enough there). An object is
// drawn in two parts split at its centre row: the upper part turns about the hinge (the centre of
// the split) by the pose's hinge angle, the lower part does not; the lower part is drawn over the
// upper one, which reaches one row past the split so that no seam shows when the hinge is straight.
import Foundation
import KinemaVideo

extension MotionBenchmarkRenderer {
    /// `object` alone in every frame of a version-2 clip.
    static func layersVersion2(of object: PlacedObject, in clip: MotionBenchmarkClip, source: Image) throws(VideoError) -> [Image] {
        let sprite = object.mirrored ? source.flippedHorizontally() : source
        let longestSource = Double(max(sprite.width, sprite.height))
        var resized: (width: Int, height: Int, upper: Image, lower: Image)?
        return try (0..<clip.frames).map { t throws(VideoError) in
            let pose = object.poses[t]
            let (x, y) = clip.screenPosition(of: object, frame: t)
            let ratio = clip.screenSize(of: object, frame: t) / longestSource
            let (width, height) = (max(1, Int((Double(sprite.width) * ratio).rounded())), max(1, Int((Double(sprite.height) * ratio).rounded())))
            if resized?.width != width || resized?.height != height {
                let small = try sprite.resized(width: width, height: height)
                let split = height / 2
                resized = (width, height, rows(of: small, keeping: 0..<min(height, split + 1)), rows(of: small, keeping: split..<height))
            }
            let parts = resized!
            // The exact scale left after rounding the resized size, per axis.
            let (kx, ky) = (Double(sprite.width) * ratio / Double(width), Double(sprite.height) * ratio / Double(height))
            let (cx, cy) = (Double(width - 1) / 2, Double(height - 1) / 2)
            let (c, s) = (cos(pose.angle * .pi / 180), sin(pose.angle * .pi / 180))
            // Sprite pixel p ↦ screen (x, y) + R(angle)·K·(p − centre); angle > 0 turns clockwise (y points down).
            let place = [c * kx, -s * ky, x - (c * kx * cx - s * ky * cy), s * kx, c * ky, y - (s * kx * cx + c * ky * cy), 0, 0, 1]
            var layer = try parts.upper.warpedPerspective(
                by: multiply(place, rotation(degrees: object.hinge?[t] ?? 0, about: (cx, Double(height / 2) - 0.5))),
                width: clip.size, height: clip.size)
            AlphaCompositing.composite(try parts.lower.warpedPerspective(by: place, width: clip.size, height: clip.size), overLayer: &layer)
            return layer
        }
    }

    /// The rows `keep` of a premultiplied RGBA image, every other row transparent.
    private static func rows(of image: Image, keeping keep: Range<Int>) -> Image {
        var pixels = [UInt8](repeating: 0, count: image.pixels.count)
        let rowBytes = image.width * 4
        pixels.replaceSubrange((keep.lowerBound * rowBytes)..<(keep.upperBound * rowBytes),
                               with: image.pixels[(keep.lowerBound * rowBytes)..<(keep.upperBound * rowBytes)])
        return Image(width: image.width, height: image.height, format: .rgba, pixels: pixels)
    }

    /// The 3×3 rotation by `degrees` (clockwise on screen) about `centre`.
    private static func rotation(degrees: Double, about centre: (x: Double, y: Double)) -> [Double] {
        let (c, s) = (cos(degrees * .pi / 180), sin(degrees * .pi / 180))
        return [c, -s, centre.x - (c * centre.x - s * centre.y), s, c, centre.y - (s * centre.x + c * centre.y), 0, 0, 1]
    }

    /// The product a·b of two row-major 3×3 matrices.
    private static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var product = [Double](repeating: 0, count: 9)
        for row in 0..<3 {
            for column in 0..<3 {
                for k in 0..<3 { product[row * 3 + column] += a[row * 3 + k] * b[k * 3 + column] }
            }
        }
        return product
    }
}
