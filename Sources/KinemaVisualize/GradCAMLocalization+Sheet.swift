import KinemaData
import KinemaModels
import KinemaTensor
import KinemaVideo

extension GradCAMLocalization {
    /// A contact sheet of what the scores measure: one row per clip, `columns` evenly spaced frames
    /// of the model's input with the stage's Grad-CAM laid over them (min–max normalised per clip,
    /// jet, half opacity, as `kinema gradcam` draws it), the moving objects outlined in white and the
    /// still ones in black (the outline is the region's pixels of share > ½ next to one that is not).
    public static func sheet(
        _ backbone: any Backbone, clips: [(clip: Clip, targetClass: Int?)], stage: Int, mean: [Float], std: [Float], columns: Int = 4
    ) throws(VisualizeError) -> Image {
        guard !clips.isEmpty, columns >= 1 else { throw .invalid("a sheet needs at least one clip and one column") }
        let device = backbone.namedParameters().first?.tensor.device ?? .cpu
        let rows = try clips.map { clip, targetClass throws(VisualizeError) -> [Image] in
            let input: Tensor
            do { input = try ClipTensor.batch([clip.frames], mean: mean, std: std).to(device) } catch {
                throw .invalid("cannot place the clip on \(device): \(error)")
            }
            let maps = try GradCAM.compute(backbone, clip: input, stage: stage, targetClass: targetClass).heatMaps(clip: 0)
            let regions = clip.regions
            return try FrameSampling.uniform(min(columns, clip.frames.count), frameCount: clip.frames.count).map { t throws(VisualizeError) in
                var panel = try clip.frames[t].overlaid(with: maps[t], colorMap: .jet, alpha: 0.5)
                outline(regions.still, frame: t, of: regions, colour: [0, 0, 0], on: &panel)
                outline(regions.moving, frame: t, of: regions, colour: [255, 255, 255], on: &panel)
                return panel
            }
        }
        return try Image.mosaic(rows)
    }

    /// Paints the boundary of `share > ½` in frame `t` onto `image` (RGB, the regions' size).
    private static func outline(_ share: [Float], frame t: Int, of regions: LocalizationRegions, colour: [UInt8], on image: inout Image) {
        let (width, height) = (regions.width, regions.height)
        func inside(_ x: Int, _ y: Int) -> Bool {
            (0..<width).contains(x) && (0..<height).contains(y) && share[(t * height + y) * width + x] > 0.5
        }
        for y in 0..<height {
            for x in 0..<width where inside(x, y) && !(inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1)) {
                image.pixels.replaceSubrange(((y * width + x) * 3)..<((y * width + x) * 3 + 3), with: colour)
            }
        }
    }
}
