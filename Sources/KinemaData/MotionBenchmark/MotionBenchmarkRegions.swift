// Where each clip's moving and still objects are, pixel by pixel: the exact ground truth that a
// localisation score (Grad-CAM mass on the moving object, MoSI Fig. 4) is measured against.
import KinemaVideo

/// Per-frame region images of a benchmark clip.
public enum MotionBenchmarkRegions {
    /// The clip's objects in drawing order (back to front), each marked moving or still in the scene
    /// (``MotionBenchmarkClip/movingObjects``: in the global classes nothing moves but the camera).
    public static func objects(of clip: MotionBenchmarkClip) -> [(object: PlacedObject, moving: Bool)] {
        let moving = clip.movingObjects
        return clip.objects.map { ($0, moving.contains($0)) }
    }

    /// `clip.frames` RGB images of `clip.size`²: per pixel, the share of what the pixel shows that is
    /// a moving object (red), a still object (green) and the background (blue), in 0…255.
    ///
    /// The shares follow the renderer's "over" compositing of each object's exact matte α (the alpha
    /// of ``MotionBenchmarkRenderer/layers(of:in:assets:)``): going front to back, an object shows
    /// `α × (what the objects in front of it leave visible)`, and the background shows what is left,
    /// so an occluded part of the companion counts for the actor in front of it. The three shares sum
    /// to 255 up to rounding (blue is 255 − red − green, at least 0).
    ///
    /// Being images, the regions go through exactly the resizing the frames go through.
    public static func images(of clip: MotionBenchmarkClip, assets: MotionBenchmarkAssets) throws(MotionBenchmarkError) -> [Image] {
        let plane = clip.size * clip.size
        var moving = [[Float]](repeating: [Float](repeating: 0, count: plane), count: clip.frames)
        var still = moving
        var visible = [[Float]](repeating: [Float](repeating: 1, count: plane), count: clip.frames)
        for (object, isMoving) in objects(of: clip).reversed() {
            for (t, layer) in try MotionBenchmarkRenderer.layers(of: object, in: clip, assets: assets).enumerated() {
                for i in 0..<plane {
                    let alpha = Float(layer.pixels[i * 4 + 3]) / 255
                    let shown = alpha * visible[t][i]
                    if isMoving { moving[t][i] += shown } else { still[t][i] += shown }
                    visible[t][i] -= shown
                }
            }
        }
        return (0..<clip.frames).map { t in
            var pixels = [UInt8](repeating: 0, count: plane * 3)
            for i in 0..<plane {
                let red = Int((moving[t][i] * 255).rounded()), green = Int((still[t][i] * 255).rounded())
                (pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2]) = (UInt8(red), UInt8(green), UInt8(max(0, 255 - red - green)))
            }
            return Image(width: clip.size, height: clip.size, format: .rgb, pixels: pixels)
        }
    }
}
