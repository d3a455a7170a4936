import KinemaData
import KinemaMotion
import KinemaVideo

/// How the pixels of an augmented clip relate to the raw frames: the crop, resize and mirror of a
/// ``ClipTransform``, as coordinate maps (MME appendix B: the targets are cropped and resized "to
/// maintain the corresponding area with the input RGB frames").
///
/// Flow is computed on the *flow frame*: the crop of the raw frame at its native resolution,
/// mirrored when the clip is. Its pixels map to the clip's by the resize alone, with pixel
/// centres aligned as OpenCV's resize aligns them, `x_clip = (x_flow + ½)·s_x − ½` (likewise y):
/// an affine map, so a displacement becomes `s_x·dx, s_y·dy` exactly. Positions *and*
/// displacements are mapped (MME's released loader resizes its displacement maps without scaling
/// their values).
struct MMEClipGeometry {
    let transform: ClipTransform

    init(_ transform: ClipTransform, frameWidth: Int, frameHeight: Int) throws(MMETargetError) {
        let crop = transform.crop
        guard transform.randAugment.isEmpty else {
            throw MMETargetError("MME targets follow crops, resizes and mirrors only: RandAugment's geometric operations would move pixels the targets do not follow")
        }
        guard crop.x >= 0, crop.y >= 0, crop.width > 0, crop.height > 0, crop.x + crop.width <= frameWidth, crop.y + crop.height <= frameHeight else {
            throw MMETargetError("crop \(crop.width)x\(crop.height) at (\(crop.x), \(crop.y)) is not inside the \(frameWidth)x\(frameHeight) frames")
        }
        guard transform.outputSize > 0 else { throw MMETargetError("the clip size must be positive, got \(transform.outputSize)") }
        self.transform = transform
    }

    var clipSize: Int { transform.outputSize }
    var scaleX: Float { Float(transform.outputSize) / Float(transform.crop.width) }
    var scaleY: Float { Float(transform.outputSize) / Float(transform.crop.height) }

    /// A flow-frame point in the clip's pixels.
    func clipPoint(x: Float, y: Float) -> (x: Float, y: Float) { ((x + 0.5) * scaleX - 0.5, (y + 0.5) * scaleY - 0.5) }

    /// A clip point in the flow frame's pixels.
    func flowPoint(x: Float, y: Float) -> (x: Float, y: Float) { ((x + 0.5) / scaleX - 0.5, (y + 0.5) / scaleY - 0.5) }

    /// The raw frame cropped (and mirrored) at its native resolution.
    func flowFrame(_ frame: Image) throws(MMETargetError) -> Image {
        let c = transform.crop
        do {
            let cropped = try frame.cropped(x: c.x, y: c.y, width: c.width, height: c.height)
            return transform.flip ? cropped.flippedHorizontally() : cropped
        } catch { throw MMETargetError("cropping a frame for the MME targets: \(error)") }
    }

    /// The flow field of the flow frame cut from `field`, a flow of whole raw frames: the crop,
    /// mirrored (its x component negated) when the clip is. Equal to the flow of the flow frames
    /// wherever the estimator's answer at a pixel does not depend on what lies outside the crop.
    func flowFrameFlow(_ field: FlowField) -> FlowField {
        let c = transform.crop
        var vectors = [Float](repeating: 0, count: c.width * c.height * 2)
        for y in 0..<c.height {
            for x in 0..<c.width {
                let column = c.x + (transform.flip ? c.width - 1 - x : x)
                let source = 2 * ((c.y + y) * field.width + column)
                let i = 2 * (y * c.width + x)
                vectors[i] = transform.flip ? -field.vectors[source] : field.vectors[source]
                vectors[i + 1] = field.vectors[source + 1]
            }
        }
        return FlowField(width: c.width, height: c.height, vectors: vectors)
    }

    /// The frame exactly as the clip shows it, before colour changes (which move nothing).
    func clipFrame(_ frame: Image) throws(MMETargetError) -> Image {
        let geometric = ClipTransform(crop: transform.crop, outputSize: transform.outputSize, flip: transform.flip)
        do { return try geometric.apply(to: [frame])[0] } catch { throw MMETargetError("resizing a frame for the MME targets: \(error)") }
    }
}
