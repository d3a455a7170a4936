// Everything random about one benchmark clip (docs/architecture-notes.md, "Randomness"): MotionBenchmarkSampler draws
// it, MotionBenchmarkRenderer turns it into frames deterministically. Storing per-frame poses (not
// the class's formula) makes the rendered motion checkable against exact numbers and lets
// manifest.json carry the ground truth.
//
// Coordinates are pixel-index coordinates of the S × S frame (pixel (0, 0) is the top-left pixel's
// centre, y points down). The scene is fixed; the camera moves over it and may zoom (version 2's
// CameraZoom): a scene point p appears on screen at zoom[t] · (p − camera[t]), zoom 1 when absent.

/// Where an object is in the scene at one frame.
public struct ObjectPose: Sendable, Equatable, Codable {
    /// Centre of the object's sprite, scene coordinates (px).
    public var x: Double
    public var y: Double
    /// Rotation in degrees, clockwise on screen.
    public var angle: Double
    /// Multiplier of the object's base size.
    public var scale: Double

    public init(x: Double, y: Double, angle: Double = 0, scale: Double = 1) {
        (self.x, self.y, self.angle, self.scale) = (x, y, angle, scale)
    }
}

/// A camera position: the scene point shown at the frame's top-left pixel.
public struct CameraOffset: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) { (self.x, self.y) = (x, y) }

    public static let zero = CameraOffset(x: 0, y: 0)
}

/// A sprite placed in a clip.
public struct PlacedObject: Sendable, Equatable, Codable {
    /// Index into the assets' sprites.
    public var sprite: Int
    /// Longest side at scale 1 (px).
    public var baseSize: Double
    /// Whether the sprite is mirrored left–right (appearance variety, the same for every class).
    public var mirrored: Bool
    /// One pose per frame.
    public var poses: [ObjectPose]
    /// Version 2: per frame, the angle (degrees, clockwise) by which the upper half of the sprite
    /// turns about a hinge at its centre row; nil (version 1) draws the sprite whole.
    public var hinge: [Double]?

    public init(sprite: Int, baseSize: Double, mirrored: Bool, poses: [ObjectPose], hinge: [Double]? = nil) {
        (self.sprite, self.baseSize, self.mirrored, self.poses, self.hinge) = (sprite, baseSize, mirrored, poses, hinge)
    }
}

/// The part of a background photo a clip shows: the photo is resized to `width × height` and the
/// scene's origin lies at (`originX`, `originY`) in it.
public struct BackgroundView: Sendable, Equatable, Codable {
    /// Index into the assets' backgrounds.
    public var image: Int
    public var width: Int
    public var height: Int
    public var originX: Double
    public var originY: Double

    public init(image: Int, width: Int, height: Int, originX: Double, originY: Double) {
        (self.image, self.width, self.height, self.originX, self.originY) = (image, width, height, originX, originY)
    }
}

/// Which side of UCF101-style split 1 a clip belongs to.
public enum BenchmarkSplit: String, Sendable, Codable {
    case train, test
}

/// One clip of the benchmark: its name and label, and every parameter of its rendering.
public struct MotionBenchmarkClip: Sendable, Equatable, Codable {
    public var motion: MotionClass
    /// 0-based class index (classInd.txt numbers from 1).
    public var label: Int
    /// UCF101 group (1…25) and clip number within the group (from 1).
    public var group: Int
    public var clip: Int
    public var split: BenchmarkSplit
    public var frames: Int
    public var size: Int
    /// The background photo, or nil for black.
    public var background: BackgroundView?
    /// Drawn first (behind the others); it stays still in the scene.
    public var companion: PlacedObject?
    /// The object whose motion is the class.
    public var actor: PlacedObject
    /// One camera position per frame.
    public var camera: [CameraOffset]
    /// The benchmark version the clip follows (MotionBenchmarkConfig.versions): it picks the
    /// renderer's resampling chain.
    public var version: Int
    /// Version 2: the second object every clip shows, drawn between the companion and the actor. It
    /// moves opposite to the actor in OppositeDirections and stays still in the scene otherwise.
    public var partner: PlacedObject?
    /// Version 2's CameraZoom: the camera's magnification per frame (≥ 1); nil means 1 throughout.
    public var zoom: [Double]?

    public init(
        motion: MotionClass, label: Int, group: Int, clip: Int, split: BenchmarkSplit, frames: Int, size: Int,
        background: BackgroundView?, companion: PlacedObject?, actor: PlacedObject, camera: [CameraOffset],
        version: Int = 1, partner: PlacedObject? = nil, zoom: [Double]? = nil
    ) {
        (self.motion, self.label, self.group, self.clip, self.split) = (motion, label, group, clip, split)
        (self.frames, self.size, self.background, self.companion, self.actor, self.camera) =
            (frames, size, background, companion, actor, camera)
        (self.version, self.partner, self.zoom) = (version, partner, zoom)
    }

    /// UCF101's file stem: `v_<Class>_gXX_cYY`.
    public var name: String { "v_\(motion.rawValue)_g\(twoDigits(group))_c\(twoDigits(clip))" }

    /// The objects in drawing order (back to front).
    public var objects: [PlacedObject] { [companion, partner, actor].compactMap { $0 } }

    /// The objects that move in the scene (relative to the background): the actor, and the partner
    /// in OppositeDirections. In the global classes (CameraPan, CameraZoom; `motion.isGlobal`) the
    /// actor stays still in the scene and only the camera moves, so this is empty there.
    public var movingObjects: [PlacedObject] {
        if motion.isGlobal { return [] }
        return motion.movesTwoObjects ? [partner, actor].compactMap { $0 } : [actor]
    }

    /// The objects that stay still in the scene (they move on screen only with the camera).
    public var stillObjects: [PlacedObject] {
        if motion.isGlobal { return objects }
        return [companion, motion.movesTwoObjects ? nil : partner].compactMap { $0 }
    }

    /// The camera's magnification at frame `t`.
    public func zoom(at t: Int) -> Double { zoom?[t] ?? 1 }

    /// Where `object` appears on screen at frame `t` (its sprite centre, frame coordinates).
    public func screenPosition(of object: PlacedObject, frame t: Int) -> (x: Double, y: Double) {
        let z = zoom(at: t)
        return (z * (object.poses[t].x - camera[t].x), z * (object.poses[t].y - camera[t].y))
    }

    /// The longest side of `object`'s sprite on screen at frame `t` (px).
    public func screenSize(of object: PlacedObject, frame t: Int) -> Double { object.baseSize * object.poses[t].scale * zoom(at: t) }

    /// Throws unless every per-frame array has one entry per frame and the background view covers
    /// every frame (a clip edited by hand can be anything).
    public func validate() throws(MotionBenchmarkError) {
        func fail(_ why: String) -> MotionBenchmarkError { MotionBenchmarkError("invalid clip \(name): \(why)") }
        guard frames >= 1, size >= 1 else { throw fail("\(frames) frames of \(size) px") }
        guard camera.count == frames, objects.allSatisfy({ $0.poses.count == frames }) else {
            throw fail("camera and poses need one entry per frame (\(frames))")
        }
        guard objects.allSatisfy({ $0.baseSize > 0 && $0.poses.allSatisfy { $0.scale > 0 } }) else {
            throw fail("object sizes and scales must be positive")
        }
        guard MotionBenchmarkConfig.versions.contains(version) else { throw fail("unknown benchmark version \(version)") }
        guard objects.allSatisfy({ $0.hinge.map { $0.count == frames } ?? true }) else { throw fail("hinge angles need one entry per frame") }
        if let zoom {
            // Magnifying only: the frame then never shows more of the scene than at zoom 1, which the check below covers.
            guard zoom.count == frames, zoom.allSatisfy({ $0 >= 1 && $0.isFinite }) else { throw fail("zoom needs one value ≥ 1 per frame") }
        }
        if let view = background {
            let xs = camera.map { view.originX + $0.x }, ys = camera.map { view.originY + $0.y }
            guard xs.min()! >= 0, ys.min()! >= 0, xs.max()! + Double(size) < Double(view.width),
                ys.max()! + Double(size) < Double(view.height)
            else { throw fail("the camera leaves the \(view.width)x\(view.height) background") }
        }
    }
}

private func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
