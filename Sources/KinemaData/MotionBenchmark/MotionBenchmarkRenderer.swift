// The deterministic half of the motion benchmark (docs/architecture-notes.md, "Randomness"): from a clip's parameters
// and the assets, its frames. The background is the photo resized once per clip (area averaging
// when shrinking) and moved by the camera (bilinear, sub-pixel; magnified by version 2's zoom).
// Version 1 resizes each sprite once to the largest size it reaches, then warps it per frame by a
// similarity (rotation, scale, translation; OpenCV, bilinear); version 2 resizes it every frame
// (MotionBenchmarkRenderer+Version2.swift). Objects are laid over the frame with premultiplied
// alpha (AlphaCompositing).
import Foundation
import KinemaVideo

/// Renders benchmark clips.
public enum MotionBenchmarkRenderer {
    /// The clip's frames: `clip.frames` RGB images of `clip.size`².
    public static func render(_ clip: MotionBenchmarkClip, assets: MotionBenchmarkAssets) throws(MotionBenchmarkError) -> [Image] {
        var frames = try backgroundFrames(clip, assets: assets)
        for object in clip.objects {
            for (t, layer) in try layers(of: object, in: clip, assets: assets).enumerated() {
                AlphaCompositing.composite(layer, over: &frames[t])
            }
        }
        return frames
    }

    /// The background alone, frame by frame (black without a background photo).
    public static func backgroundFrames(_ clip: MotionBenchmarkClip, assets: MotionBenchmarkAssets) throws(MotionBenchmarkError) -> [Image] {
        try clip.validate()
        let size = clip.size
        guard let view = clip.background else {
            return Array(repeating: Image(width: size, height: size, format: .rgb, filledWith: [0, 0, 0]), count: clip.frames)
        }
        guard assets.backgrounds.indices.contains(view.image) else {
            throw MotionBenchmarkError("clip \(clip.name) uses background \(view.image), the assets have \(assets.backgrounds.count)")
        }
        do {
            let photo = try assets.backgrounds[view.image].resized(width: view.width, height: view.height)
            return try clip.camera.indices.map { t throws(VideoError) in
                let (camera, z) = (clip.camera[t], clip.zoom(at: t))
                let shift = [z, 0, -z * (view.originX + camera.x), 0, z, -z * (view.originY + camera.y), 0, 0, 1]
                return try photo.warpedPerspective(by: shift, width: size, height: size)
            }
        } catch {
            throw MotionBenchmarkError("cannot render the background of \(clip.name): \(error)")
        }
    }

    /// `object` alone, frame by frame: premultiplied RGBA `clip.size`² images, transparent where the
    /// object is not (their alpha is the object's matte).
    public static func layers(
        of object: PlacedObject, in clip: MotionBenchmarkClip, assets: MotionBenchmarkAssets
    ) throws(MotionBenchmarkError) -> [Image] {
        try clip.validate()
        guard (0..<assets.spriteCount).contains(object.sprite) else {
            throw MotionBenchmarkError("clip \(clip.name) uses sprite \(object.sprite), the assets have \(assets.spriteCount)")
        }
        let source = assets.sprite(object.sprite)
        if clip.version == 2 {
            do { return try layersVersion2(of: object, in: clip, source: source) } catch {
                throw MotionBenchmarkError("cannot draw sprite \(assets.spriteName(object.sprite)): \(error)")
            }
        }
        // Resized once to the largest size the object reaches, so every frame's warp shrinks (or keeps) it.
        let longest = max(1, Int((object.baseSize * object.poses.map(\.scale).max()!).rounded(.up)))
        let ratio = Double(longest) / Double(max(source.width, source.height))
        let sprite: Image
        do {
            sprite = try (object.mirrored ? source.flippedHorizontally() : source).resized(
                width: max(1, Int((Double(source.width) * ratio).rounded())), height: max(1, Int((Double(source.height) * ratio).rounded())))
        } catch {
            throw MotionBenchmarkError("cannot resize sprite \(assets.spriteName(object.sprite)): \(error)")
        }
        let (centreX, centreY) = (Double(sprite.width - 1) / 2, Double(sprite.height - 1) / 2)
        return try (0..<clip.frames).map { t throws(MotionBenchmarkError) in
            let pose = object.poses[t]
            let (x, y) = clip.screenPosition(of: object, frame: t)
            let k = object.baseSize * pose.scale / Double(longest)
            let (c, s) = (k * cos(pose.angle * .pi / 180), k * sin(pose.angle * .pi / 180))
            // Sprite pixel p ↦ screen (x, y) + k·R(angle)·(p − centre); angle > 0 turns clockwise (y points down).
            let similarity = [c, -s, x - (c * centreX - s * centreY), s, c, y - (s * centreX + c * centreY), 0, 0, 1]
            do {
                return try sprite.warpedPerspective(by: similarity, width: clip.size, height: clip.size)
            } catch {
                throw MotionBenchmarkError("cannot warp sprite \(assets.spriteName(object.sprite)): \(error)")
            }
        }
    }
}
