import Foundation
import KinemaVideo

extension Image {
    /// Writes equally sized `frames` as an animated GIF that loops forever, at `fps` frames per
    /// second: how every animation of this module is written.
    public static func writeGIF(_ frames: [Image], to url: URL, fps: Double) throws(VisualizeError) {
        guard let first = frames.first else { throw .invalid("an animation needs at least one frame") }
        do {
            let writer = try GIFWriter(url: url, width: first.width, height: first.height, fps: fps)
            for frame in frames { try writer.write(frame) }
            try writer.finish()
        } catch { throw VisualizeError(.video(error)) }
    }
}
