import KinemaMotion
import KinemaVideo

/// What the pictures of MME's targets share: clip frames enlarged by a whole factor (small clips
/// stay legible), masked tubes greyed as VideoMAE's and MME's pictures grey them, and tracked
/// points mapped into the enlarged frame.
struct MotionPictureCanvas {
    /// The clip's side in pixels and the enlargement factor.
    let clipSize: Int
    let scale: Int

    /// At least `minimum` pixels across.
    init(clipSize: Int, minimum: Int = 224) {
        self.clipSize = clipSize
        scale = max(1, (minimum + clipSize - 1) / clipSize)
    }

    var side: Int { clipSize * scale }

    /// A clip point (pixel centres at integers) in the enlarged frame.
    func point(_ p: (x: Float, y: Float)) -> (x: Float, y: Float) {
        ((p.x + 0.5) * Float(scale) - 0.5, (p.y + 0.5) * Float(scale) - 0.5)
    }

    /// `frame` (clip-sized) enlarged, with the `patch`-px patches whose `masked[row · columns +
    /// column]` is true blended two thirds of the way to mid grey.
    func frame(_ frame: Image, masked: ArraySlice<Bool>? = nil, patch: Int) throws(VisualizeError) -> Image {
        var out: Image
        do { out = try frame.converted(to: .rgb).resized(width: side, height: side) } catch { throw VisualizeError(.video(error)) }
        guard let masked else { return out }
        let columns = clipSize / patch
        let cell = patch * scale
        for (k, hidden) in masked.enumerated() where hidden {
            let (x0, y0) = (k % columns * cell, k / columns * cell)
            for y in y0..<min(y0 + cell, side) {
                for i in ((y * side + x0) * 3)..<((y * side + min(x0 + cell, side)) * 3) {
                    out.pixels[i] = UInt8((Float(out.pixels[i]) + 2 * 128) / 3)
                }
            }
        }
        return out
    }

    /// Trajectory `n` of `set`, positions 0…`step`, in the enlarged frame.
    func polyline(_ set: TrajectorySet, _ n: Int, upTo step: Int) -> [(x: Float, y: Float)] {
        (0...step).map { point(set.position(n, step: $0)) }
    }

    /// A caption in the top-left corner.
    func caption(_ text: String, on image: inout Image) throws(VisualizeError) {
        let style = try MoSISampleSheet.labelStyle(fitting: min(side, 224) / 2)
        do { try image.draw(text: text, at: (0, 0), style: style, background: (16, 16, 16)) } catch { throw VisualizeError(.video(error)) }
    }
}
