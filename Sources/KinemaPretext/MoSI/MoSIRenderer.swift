// The deterministic half of the MoSI generator (docs/architecture-notes.md, "Randomness"): from a
// source image and a ``MoSISample``, the clip. Order as in the official generator
// (docs/reference-implementations.md §1.1–1.6): resize the short side to Ls, cut the Ls × Ls square,
// cut the N windows along the path (integer pixels, no interpolation), colour-jitter each frame,
// flip, apply the static mask (Eq. 3) last, so the static area is exactly one (jittered) frame.
// Output is bytes; `ClipTensor.batch` makes the tensors.
import KinemaVideo

/// Renders MoSI clips.
public enum MoSIRenderer {
    /// `source` resized as every sample of it expects (short side Ls), in RGB. The resize is done
    /// once per source image, not once per clip as the official code does. Kinema resizes with
    /// OpenCV (area averaging when shrinking); the official code uses bilinear interpolation without
    /// antialiasing and truncates back to bytes — a difference in appearance only, the motion is
    /// an exact integer-pixel translation of whichever square is cut.
    public static func standardized(_ source: Image, for sample: MoSISample) throws(MoSIError) -> Image {
        do {
            let rgb = source.format == .rgb ? source : try source.converted(to: .rgb)
            return try rgb.resized(width: sample.resizedWidth, height: sample.resizedHeight)
        } catch {
            throw MoSIError("cannot resize the \(source.width)x\(source.height) source: \(error)")
        }
    }

    /// The clip of `sample` from its source image: `frameCount` RGB frames of `cropSize²`.
    public static func render(_ sample: MoSISample, source: Image) throws(MoSIError) -> [Image] {
        try render(sample, standardized: standardized(source, for: sample))
    }

    /// The clips of a group (one per label, label order) from one source image, resized once.
    public static func render(_ group: MoSIGroup, source: Image) throws(MoSIError) -> [[Image]] {
        let resized = try standardized(source, for: group.samples[0])
        var clips: [[Image]] = []
        clips.reserveCapacity(group.samples.count)
        for sample in group.samples { clips.append(try render(sample, standardized: resized)) }
        return clips
    }

    /// The clip of `sample` from the source already resized to `resizedWidth × resizedHeight` RGB.
    ///
    /// Work is done only where it shows: without colour a flipped window is cut mirrored in one
    /// pass, and with a static mask the frames other than the background one are computed inside
    /// the box only (whole-frame colour only up to the last contrast operation, whose mean needs it).
    public static func render(_ sample: MoSISample, standardized image: Image) throws(MoSIError) -> [Image] {
        guard image.format == .rgb, image.width == sample.resizedWidth, image.height == sample.resizedHeight else {
            throw MoSIError(
                "the sample expects a \(sample.resizedWidth)x\(sample.resizedHeight) RGB image, got \(image.width)x\(image.height) \(image.format)")
        }
        try sample.validate()
        let l = sample.cropSize
        let offsets = sample.windowOffsets
        /// The (x, y, w, h) region of frame t (in output coordinates, after the flip), colour included.
        func frame(_ t: Int, x: Int = 0, y: Int = 0, width w: Int = l, height h: Int = l) -> Image {
            let (wx, wy) = (sample.squareX + offsets[t].x, sample.squareY + offsets[t].y)
            let steps = sample.color.map { $0.adjustment(frame: t) }
            if steps.isEmpty {
                return cut(image, x: sample.flipped ? wx + l - x - w : wx + x, y: wy + y, width: w, height: h, mirrored: sample.flipped)
            }
            // Colour first, then the flip, as the official order (a contrast mean summed in mirrored
            // order could differ in its last bit).
            let window = cut(image, x: wx, y: wy, width: l, height: l)
            let region = window.adjusted(steps, x: sample.flipped ? l - x - w : x, y: y, width: w, height: h)
            return sample.flipped ? region.flippedHorizontally() : region
        }
        guard let mask = sample.mask, mask.width < l || mask.height < l else {
            return (0..<sample.frameCount).map { frame($0) }
        }
        let background = frame(mask.backgroundFrame)
        guard mask.width > 0, mask.height > 0 else { return Array(repeating: background, count: sample.frameCount) }
        return (0..<sample.frameCount).map { t in
            t == mask.backgroundFrame
                ? background
                : pasting(frame(t, x: mask.x, y: mask.y, width: mask.width, height: mask.height), into: background, x: mask.x, y: mask.y)
        }
    }

    /// The `width × height` rectangle of `image` at (x, y), one memcpy per row, or with the columns
    /// in reverse order when `mirrored`.
    static func cut(_ image: Image, x: Int, y: Int, width: Int, height: Int, mirrored: Bool = false) -> Image {
        let rowBytes = width * 3
        let stride = image.width * 3
        let bytes = [UInt8](unsafeUninitializedCapacity: height * rowBytes) { out, initialized in
            image.pixels.withUnsafeBufferPointer { source in
                for row in 0..<height {
                    let from = source.baseAddress! + (y + row) * stride + x * 3
                    let to = out.baseAddress! + row * rowBytes
                    if !mirrored {
                        to.update(from: from, count: rowBytes)
                        continue
                    }
                    for col in 0..<width {
                        let p = from + (width - 1 - col) * 3
                        (to[col * 3], to[col * 3 + 1], to[col * 3 + 2]) = (p[0], p[1], p[2])
                    }
                }
            }
            initialized = height * rowBytes
        }
        return Image(width: width, height: height, format: .rgb, pixels: bytes)
    }

    /// Eq. 3 for one frame: `background` with the moving `patch` pasted at (x, y).
    static func pasting(_ patch: Image, into background: Image, x: Int, y: Int) -> Image {
        var pixels = background.pixels
        let rowBytes = background.width * 3, patchBytes = patch.width * 3
        pixels.withUnsafeMutableBufferPointer { out in
            patch.pixels.withUnsafeBufferPointer { moving in
                for row in 0..<patch.height {
                    (out.baseAddress! + (y + row) * rowBytes + x * 3)
                        .update(from: moving.baseAddress! + row * patchBytes, count: patchBytes)
                }
            }
        }
        return Image(width: background.width, height: background.height, format: .rgb, pixels: pixels)
    }
}
