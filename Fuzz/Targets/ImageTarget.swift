import Foundation
import KinemaVideo

/// The rest of the input as an encoded image (PNG, JPEG, BMP, … through the OpenCV shim) decoded
/// to RGB, gray or RGBA; a small image that decodes is then written as a GIF (Kinema owns no image
/// reader of its own, but the GIF writer's palette and LZW code run on these pixels).
func fuzzImage(_ input: Data, scratch: URL) -> Bool {
    let (choice, bytes) = choose(input, among: 3)
    let name = scratch.appendingPathComponent("input.png")
    let format: PixelFormat = [.rgb, .gray, .rgba][choice]
    let image: Image
    do { image = try Image(encoded: bytes, format: format, name: name) } catch {
        return expectNames(name, error)
    }
    guard image.width * image.height <= 4096 else { return true }
    let gif = scratch.appendingPathComponent("output.gif")
    do {
        let writer = try GIFWriter(url: gif, width: image.width, height: image.height, fps: 10)
        try writer.write(image)
        try writer.finish()
    } catch { fatalError("the GIF writer refused a \(image.width)x\(image.height) \(format) image: \(error)") }
    return true
}
