// Version 2 of the benchmark's random half (docs/data.md, "Motion benchmark"). What changed from
// version 1, and why:
// - Placement: each object's on-screen centre, over the frames of its clip, has the same mean (the
//   frame centre) and the same mean squared distance from it (W²/3 per axis, W = 0.30 S) in every
//   class. The object is placed by its whole path, not its start: its anchor is drawn uniformly
//   around the point that centres the path, in a range that shrinks as the path's own spread
//   grows. A start drawn from one distribution cannot work here: the reversed clip of MoveRight
//   would start where MoveRight ends, so pairs that differ only in time order could not both hold.
//   What it implies: a single frame at a random time shows the object at the same place on average
//   in every class, but the first frame of MoveRight is left of the last one (that is the motion);
//   still objects keep their centre 0.2 S or more inside the frame, objects that travel far may
//   partly leave it (MotionBenchmarkVersion2Tests bounds how often).
// - Every clip shows the same number of objects (an actor, a partner, and a companion with
//   probability `companionProbability`); the partner moves opposite to the actor in
//   OppositeDirections and stays still in the scene in every other class.
// - Every object is bent at its hinge by a fixed angle drawn like Flap's moving angle at a random
//   time, so a bent cut-out in one frame does not say Flap.
// - Sizes are log-uniform (version 1: uniform), so that growing and shrinking objects have the
//   mean log size of still ones at a random frame.
// - Speeds: slow slides 0.12–0.22 S, MoveFast 0.44–0.60 S, a factor 2 apart at the closest point.
import Foundation

extension MotionBenchmarkSampler {
    /// Half-width W of the per-axis placement: the on-screen centre's mean squared distance from
    /// the frame centre over a clip is W²/3 (that of a uniform spread over ±W).
    static let placementHalfWidth = 0.30

    func sampleVersion2(_ slot: Slot, split: BenchmarkSplit, pools: MotionBenchmarkPools, using g: inout SeededGenerator) -> MotionBenchmarkClip {
        let (size, frames) = (Double(config.size), config.frames)
        let side = pools[split]
        precondition(!side.sprites.isEmpty, "the \(split) pool has no sprite")
        let progress = (0..<frames).map { Double($0) / Double(frames - 1) }
        let (camera, zoom) = drawCameraVersion2(slot.motion, progress: progress, using: &g)

        var sprites = side.sprites.shuffled(using: &g)
        while sprites.count < 3 { sprites += sprites }  // tiny pools: objects may repeat
        let motion = slot.motion
        let actorPath = ObjectPath.draw(motion, progress: progress, size: size, using: &g)
        let partnerPath = motion.movesTwoObjects
            ? actorPath.opposite(progress: progress, size: size, using: &g) : ObjectPath.still(progress: progress, size: size, using: &g)
        var actor = placeObject(sprite: sprites[0], path: actorPath, camera: camera, zoom: zoom, using: &g)
        var partner = placeObject(sprite: sprites[1], path: partnerPath, camera: camera, zoom: zoom, using: &g)
        if motion == .bounceOffWalls {
            // The centre turns at the walls of the placement range, c ± W: its spread over the clip is
            // then about that of every other class (its edge meets the frame border near there).
            let (c, w) = ((size - 1) / 2, Self.placementHalfWidth * size)
            actor.poses = drawBounce(walls: (c - w, c + w), tilt: actorPath.angle[0], camera: camera, using: &g)
        }
        if motion.movesTwoObjects { partner.mirrored = actor.mirrored }
        var companion: PlacedObject?
        if Double.random(in: 0..<1, using: &g) < config.companionProbability {
            companion = placeObject(
                sprite: sprites[2], path: .still(progress: progress, size: size, using: &g), camera: camera, zoom: zoom, using: &g)
        }
        let background = config.kind == .photos ? drawBackground(group: slot.group, side: side, pools: pools, camera: camera, using: &g) : nil
        return MotionBenchmarkClip(
            motion: motion, label: slot.label, group: slot.group, clip: slot.clip, split: split, frames: frames,
            size: config.size, background: background, companion: companion, actor: actor, camera: camera,
            version: 2, partner: partner, zoom: zoom)
    }

    /// An object following `path` in the scene: a base size that keeps it within the kind's size
    /// range on every frame, a mirror, and an anchor placed as the file comment says.
    private func placeObject(
        sprite: Int, path: ObjectPath, camera: [CameraOffset], zoom: [Double]?, using g: inout SeededGenerator
    ) -> PlacedObject {
        let z = zoom ?? Array(repeating: 1, count: camera.count)
        let baseSize = drawLogUniformSize(scales: zip(path.scale, z).map { $0 * $1 }, using: &g)
        let mirrored = Bool.random(using: &g)
        // On screen, x_t = z_t · (anchor + dx_t − camera_t): the anchor times g_t = z_t plus h_t.
        let x0 = anchor(gain: z, offset: path.dx.indices.map { z[$0] * (path.dx[$0] - camera[$0].x) }, using: &g)
        let y0 = anchor(gain: z, offset: path.dy.indices.map { z[$0] * (path.dy[$0] - camera[$0].y) }, using: &g)
        let poses = path.dx.indices.map {
            ObjectPose(x: x0 + path.dx[$0], y: y0 + path.dy[$0], angle: path.angle[$0], scale: path.scale[$0])
        }
        return PlacedObject(sprite: sprite, baseSize: baseSize, mirrored: mirrored, poses: poses, hinge: path.hinge)
    }

    /// A base size (px) such that the object's size on every frame, base × scale, lies in the
    /// kind's size range: the smallest size is log-uniform within what the scales leave free. For
    /// a geometric growth (Approach, Recede, CameraZoom) the log size at a random frame then has
    /// the mean of a still object's, whose log size is uniform over the whole range.
    private func drawLogUniformSize(scales: [Double], using g: inout SeededGenerator) -> Double {
        let (low, high) = (config.kind.objectSize.lowerBound * Double(config.size), config.kind.objectSize.upperBound * Double(config.size))
        let (smallest, largest) = (scales.min()!, scales.max()!)
        return exp(.random(in: log(low)...max(log(low), log(high * smallest / largest)), using: &g)) / smallest
    }

    /// An anchor a for an on-screen path x_t = a·gain_t + offset_t such that, over the frames and
    /// the draw of a, x has mean c (the frame centre) and mean squared distance W²/3 from c: a is
    /// uniform on μ ± w with μ·mean(gain) + mean(offset − c) = 0 and (μ² + w²/3)·mean(gain²) +
    /// 2μ·mean(gain·(offset − c)) + mean((offset − c)²) = W²/3 (w = 0 when the path alone spreads
    /// further).
    private func anchor(gain: [Double], offset: [Double], using g: inout SeededGenerator) -> Double {
        let size = Double(config.size)
        let (c, n) = ((size - 1) / 2, Double(gain.count))
        let e = offset.map { $0 - c }
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / n }
        let (g1, g2) = (mean(gain), mean(gain.map { $0 * $0 }))
        let mu = -mean(e) / g1
        let target = pow(Self.placementHalfWidth * size, 2) / 3
        let ge = mean(zip(gain, e).map { $0 * $1 }), e2 = mean(e.map { $0 * $0 })
        let w = (max(0, 3 * (target - mu * mu * g2 - 2 * mu * ge - e2) / g2)).squareRoot()
        return w > 0 ? .random(in: (mu - w)...(mu + w), using: &g) : mu
    }

    /// The camera of a version-2 clip: the class's own pan or zoom, then camera shake (as in
    /// version 1) for every class alike. Zoom is nil unless the class zooms.
    private func drawCameraVersion2(
        _ motion: MotionClass, progress: [Double], using g: inout SeededGenerator
    ) -> ([CameraOffset], [Double]?) {
        let size = Double(config.size)
        var camera = Array(repeating: CameraOffset.zero, count: progress.count)
        var zoom: [Double]?
        if motion == .cameraPan || motion == .moveDuringPan {
            let (heading, distance) = (Double.random(in: 0..<(2 * .pi), using: &g), Double.random(in: 0.25...0.40, using: &g) * size)
            camera = progress.map { CameraOffset(x: distance * cos(heading) * $0, y: distance * sin(heading) * $0) }
        }
        if motion == .cameraZoom {
            // Geometric in time, ≥ 1 throughout (the background is only ever magnified), about the
            // frame centre c: screen = z·(p − camera) keeps the scene point c at c when camera = c − c/z.
            let factor = log(Double.random(in: 1.6...2.0, using: &g))
            let zoomIn = Bool.random(using: &g)
            let z = progress.map { exp(factor * (zoomIn ? $0 : 1 - $0)) }
            let c = (size - 1) / 2
            camera = z.map { CameraOffset(x: c - c / $0, y: c - c / $0) }
            zoom = z
        }
        guard config.kind == .photos, Double.random(in: 0..<1, using: &g) < config.cameraShakeProbability else { return (camera, zoom) }
        let (heading, distance) = (Double.random(in: 0..<(2 * .pi), using: &g), Double.random(in: 0...0.06, using: &g) * size)
        for t in camera.indices {
            camera[t].x += distance * cos(heading) * progress[t] + .random(in: -0.01...0.01, using: &g) * size
            camera[t].y += distance * sin(heading) * progress[t] + .random(in: -0.01...0.01, using: &g) * size
        }
        return (camera, zoom)
    }
}
