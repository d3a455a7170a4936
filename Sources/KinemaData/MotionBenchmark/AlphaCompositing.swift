// Sprites are kept with premultiplied alpha (colour × alpha / 255): bilinear warping of
// premultiplied pixels is exact at the matte's edge, where warping straight-alpha pixels would mix
// in the colour of the invisible pixels around the cut-out (dark or bright fringes). Compositing is
// then Porter & Duff's "over": out = sprite + background · (255 − alpha) / 255, which leaves the
// background byte-exact wherever alpha is 0.
import KinemaVideo

enum AlphaCompositing {
    /// A straight-alpha RGBA image as a premultiplied sprite cropped to its visible pixels (alpha >
    /// 0); nil when nothing is visible.
    static func premultipliedSprite(_ straight: Image) -> Image? {
        precondition(straight.format == .rgba, "a sprite needs RGBA, got \(straight.format)")
        var pixels = straight.pixels
        for i in stride(from: 0, to: pixels.count, by: 4) {
            let a = UInt32(pixels[i + 3])
            for c in 0..<3 { pixels[i + c] = UInt8((UInt32(pixels[i + c]) * a + 127) / 255) }
        }
        return croppedToVisible(Image(width: straight.width, height: straight.height, format: .rgba, pixels: pixels))
    }

    /// A gray image on black (a Fashion-MNIST garment) as a sprite whose alpha is its brightness:
    /// over black it gives the garment unchanged, over other garments roughly their maximum
    /// (Moving MNIST's rule).
    static func luminanceSprite(_ gray: Image) -> Image? {
        precondition(gray.format == .gray, "a luminance sprite needs a gray image, got \(gray.format)")
        let pixels = gray.pixels.flatMap { [$0, $0, $0, $0] }
        return croppedToVisible(Image(width: gray.width, height: gray.height, format: .rgba, pixels: pixels))
    }

    /// Draws `layer` (premultiplied RGBA) over `background` (RGB, same size) in place.
    static func composite(_ layer: Image, over background: inout Image) {
        precondition(layer.format == .rgba && background.format == .rgb, "composite needs an RGBA layer over RGB")
        precondition(layer.width == background.width && layer.height == background.height, "layer and background sizes differ")
        layer.pixels.withUnsafeBufferPointer { top in
            background.pixels.withUnsafeMutableBufferPointer { bottom in
                for i in 0..<(layer.width * layer.height) {
                    let a = UInt32(top[4 * i + 3])
                    guard a > 0 else { continue }
                    for c in 0..<3 {
                        let under = (UInt32(bottom[3 * i + c]) * (255 - a) + 127) / 255
                        bottom[3 * i + c] = UInt8(min(255, UInt32(top[4 * i + c]) + under))
                    }
                }
            }
        }
    }

    /// Draws `top` over `bottom`, both premultiplied RGBA of the same size, in place: every channel,
    /// alpha included, becomes top + bottom · (255 − top alpha) / 255 (the alpha of the result is the
    /// union of the two mattes).
    static func composite(_ top: Image, overLayer bottom: inout Image) {
        precondition(top.format == .rgba && bottom.format == .rgba, "composite needs two RGBA layers")
        precondition(top.width == bottom.width && top.height == bottom.height, "layer sizes differ")
        top.pixels.withUnsafeBufferPointer { top in
            bottom.pixels.withUnsafeMutableBufferPointer { bottom in
                for i in stride(from: 0, to: top.count, by: 4) {
                    let a = UInt32(top[i + 3])
                    guard a > 0 else { continue }
                    for c in 0..<4 {
                        let under = (UInt32(bottom[i + c]) * (255 - a) + 127) / 255
                        bottom[i + c] = UInt8(min(255, UInt32(top[i + c]) + under))
                    }
                }
            }
        }
    }

    /// The smallest rectangle holding every pixel with alpha > 0, or nil when there is none.
    private static func croppedToVisible(_ sprite: Image) -> Image? {
        var (minX, minY, maxX, maxY) = (sprite.width, sprite.height, -1, -1)
        for y in 0..<sprite.height {
            for x in 0..<sprite.width where sprite.pixels[(y * sprite.width + x) * 4 + 3] > 0 {
                (minX, maxX, minY, maxY) = (min(minX, x), max(maxX, x), min(minY, y), max(maxY, y))
            }
        }
        guard maxX >= 0 else { return nil }
        // The rectangle lies inside the image by construction.
        return try! sprite.cropped(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }
}
