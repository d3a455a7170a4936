// The random half of the motion benchmark (docs/architecture-notes.md, "Randomness"). Each clip has its own generator
// (seed, clip index), so a clip is the same whichever thread draws it and whatever else is drawn.
// Everything that is not the class's motion — sprite, size, orientation, mirror, placement,
// companion, background crop and zoom, camera shake — comes from the same distributions for every
// class. Version 2 draws differently (MotionBenchmarkSampler+Version2.swift); the version-1 code
// here must keep drawing exactly what Kinema 0.3.0 drew (MotionBenchmarkVersion1Tests).
import Foundation

/// Draws ``MotionBenchmarkClip``s.
public struct MotionBenchmarkSampler: Sendable {
    public let config: MotionBenchmarkConfig

    public init(_ config: MotionBenchmarkConfig) throws(MotionBenchmarkError) {
        try config.validate()
        self.config = config
    }

    /// Where a clip goes: its class, UCF101 group and number, and the index that seeds it.
    public struct Slot: Sendable, Equatable {
        public let motion: MotionClass
        public let label: Int
        public let group: Int
        public let clip: Int
        public let index: Int
    }

    /// Every clip of the benchmark, class by class. Clip i of N goes to group 1 + ⌊25 i / N⌋, so the
    /// clips of a class spread evenly over the groups and about 7/25 of them fall in the test groups.
    public var slots: [Slot] {
        let n = config.clipsPerClass
        return config.classes.enumerated().flatMap { label, motion in
            var clipsInGroup = [Int](repeating: 0, count: MotionBenchmarkConfig.groups + 1)
            return (0..<n).map { i in
                let group = 1 + i * MotionBenchmarkConfig.groups / n
                clipsInGroup[group] += 1
                return Slot(motion: motion, label: label, group: group, clip: clipsInGroup[group], index: label * n + i)
            }
        }
    }

    /// All clips, in ``slots`` order.
    public func sampleAll(pools: MotionBenchmarkPools) -> [MotionBenchmarkClip] {
        slots.map { sample($0, pools: pools) }
    }

    /// The clip of `slot`, drawn from its split's pools.
    public func sample(_ slot: Slot, pools: MotionBenchmarkPools) -> MotionBenchmarkClip {
        var g = SeededGenerator(seed: config.seed, index: slot.index)
        let (size, frames) = (Double(config.size), config.frames)
        let split: BenchmarkSplit = MotionBenchmarkConfig.testGroups.contains(slot.group) ? .test : .train
        if config.version == 2 { return sampleVersion2(slot, split: split, pools: pools, using: &g) }
        let side = pools[split]
        precondition(!side.sprites.isEmpty, "the \(split) pool has no sprite")

        let camera = drawCamera(slot.motion, using: &g)
        let actorSprite = side.sprites.randomElement(using: &g)!
        let mirrored = Bool.random(using: &g)
        let tilt = Double.random(in: 0..<360, using: &g)
        let baseSize: Double, poses: [ObjectPose]
        if slot.motion == .bounceOffWalls {
            baseSize = drawSize(scales: [1], using: &g)
            let size = Double(config.size)
            poses = drawBounce(walls: (baseSize / 2, max(baseSize / 2, size - 1 - baseSize / 2)), tilt: tilt, camera: camera, using: &g)
        } else {
            let path = MotionPath.draw(slot.motion, frames: frames, size: size, tilt: tilt, using: &g)
            baseSize = drawSize(scales: path.scale, using: &g)
            let x0 = drawStart(offsets: zip(path.dx, camera).map { $0 - $1.x }, using: &g)
            let y0 = drawStart(offsets: zip(path.dy, camera).map { $0 - $1.y }, using: &g)
            poses = (0..<frames).map { ObjectPose(x: x0 + path.dx[$0], y: y0 + path.dy[$0], angle: path.angle[$0], scale: path.scale[$0]) }
        }
        let actor = PlacedObject(sprite: actorSprite, baseSize: baseSize, mirrored: mirrored, poses: poses)

        var companion: PlacedObject?
        if Double.random(in: 0..<1, using: &g) < config.companionProbability {
            let others = side.sprites.count > 1 ? side.sprites.filter { $0 != actorSprite } : side.sprites
            let sprite = others.randomElement(using: &g)!
            let companionSize = drawSize(scales: [1], using: &g)
            let companionMirrored = Bool.random(using: &g)
            // Still in the scene: wherever it is on screen in the first frame, it only moves with the camera.
            let pose = ObjectPose(
                x: .random(in: 0.1...0.9, using: &g) * size + camera[0].x, y: .random(in: 0.1...0.9, using: &g) * size + camera[0].y,
                angle: .random(in: 0..<360, using: &g))
            companion = PlacedObject(
                sprite: sprite, baseSize: companionSize, mirrored: companionMirrored, poses: Array(repeating: pose, count: frames))
        }

        let background = config.kind == .photos ? drawBackground(group: slot.group, side: side, pools: pools, camera: camera, using: &g) : nil
        return MotionBenchmarkClip(
            motion: slot.motion, label: slot.label, group: slot.group, clip: slot.clip, split: split, frames: frames,
            size: config.size, background: background, companion: companion, actor: actor, camera: camera)
    }

    /// The camera path: a pan of 0.25–0.40 S for CameraPan; on top of it, with probability
    /// `cameraShakeProbability`, a slow pan of at most 0.06 S plus per-frame shake of at most ±0.01 S
    /// (for every class alike, CameraPan included, so the shake says nothing about the class).
    private func drawCamera<G: RandomNumberGenerator>(_ motion: MotionClass, using g: inout G) -> [CameraOffset] {
        let size = Double(config.size)
        let progress = (0..<config.frames).map { Double($0) / Double(config.frames - 1) }
        var camera = Array(repeating: CameraOffset.zero, count: config.frames)
        func pan(distance: Double) {
            let heading = Double.random(in: 0..<(2 * .pi), using: &g)
            for t in camera.indices {
                camera[t].x += distance * cos(heading) * progress[t]
                camera[t].y += distance * sin(heading) * progress[t]
            }
        }
        if motion == .cameraPan { pan(distance: .random(in: 0.25...0.40, using: &g) * size) }
        // Over black (Fashion-MNIST) a camera shake would only move the objects: none there.
        guard config.kind == .photos, Double.random(in: 0..<1, using: &g) < config.cameraShakeProbability else { return camera }
        pan(distance: .random(in: 0...0.06, using: &g) * size)
        for t in camera.indices {
            camera[t].x += .random(in: -0.01...0.01, using: &g) * size
            camera[t].y += .random(in: -0.01...0.01, using: &g) * size
        }
        return camera
    }

    /// A base size (px) such that the object's size on every frame, base × scale, lies in the
    /// kind's size range, uniformly placed within what the scales leave free.
    func drawSize<G: RandomNumberGenerator>(scales: [Double], using g: inout G) -> Double {
        let (low, high) = (config.kind.objectSize.lowerBound * Double(config.size), config.kind.objectSize.upperBound * Double(config.size))
        let (smallest, largest) = (scales.min()!, scales.max()!)
        return Double.random(in: low...max(low, high * smallest / largest), using: &g) / smallest
    }

    /// A start coordinate that keeps the object's centre at least 0.1 S inside the frame on every
    /// frame, given its on-screen offsets from the start (its own motion minus the camera's).
    private func drawStart<G: RandomNumberGenerator>(offsets: [Double], using g: inout G) -> Double {
        let size = Double(config.size)
        let low = 0.1 * size - offsets.min()!, high = 0.9 * size - offsets.max()!
        return low <= high ? .random(in: low...high, using: &g) : (low + high) / 2
    }

    /// BounceOffWalls, in screen coordinates: a diagonal straight path of 0.60–0.90 S of the
    /// object's centre folded back at `walls` (the same on both axes; version 1: where the object's
    /// half size touches the frame border). The start is set so that one axis hits a wall between
    /// 30 % and 70 % of the clip: at least one bounce, well inside it.
    func drawBounce<G: RandomNumberGenerator>(
        walls: (low: Double, high: Double), tilt: Double, camera: [CameraOffset], using g: inout G
    ) -> [ObjectPose] {
        let size = Double(config.size)
        let (low, high) = walls
        let heading = (45 + 90 * Double(Int.random(in: 0..<4, using: &g)) + .random(in: -15...15, using: &g)) * .pi / 180
        let distance = Double.random(in: 0.60...0.90, using: &g) * size
        let velocity = (distance * cos(heading), distance * sin(heading))
        let hitAt = Double.random(in: 0.3...0.7, using: &g)
        func startHitting(_ v: Double) -> Double { min(high, max(low, (v > 0 ? high : low) - v * hitAt)) }
        let bounceOnX = Bool.random(using: &g)
        let other = Double.random(in: low...high, using: &g)
        let start = bounceOnX ? (startHitting(velocity.0), other) : (other, startHitting(velocity.1))
        return (0..<config.frames).map { t in
            let progress = Double(t) / Double(config.frames - 1)
            let x = fold(start.0 + velocity.0 * progress, low, high), y = fold(start.1 + velocity.1 * progress, low, high)
            return ObjectPose(x: x + camera[t].x, y: y + camera[t].y, angle: tilt)
        }
    }

    /// The group's background photo (groups cycle through their split's backgrounds, so a group
    /// is one scene, as a UCF101 group is one recording session), seen at a random zoom (the
    /// frame covers 30–70 % of the photo's short side) and place that keeps the camera inside it.
    func drawBackground<G: RandomNumberGenerator>(
        group: Int, side: MotionBenchmarkPools.Side, pools: MotionBenchmarkPools, camera: [CameraOffset], using g: inout G
    ) -> BackgroundView {
        precondition(!side.backgrounds.isEmpty, "photo benchmarks need backgrounds in both splits")
        let firstGroup = MotionBenchmarkConfig.testGroups.contains(group) ? MotionBenchmarkConfig.testGroups.lowerBound : MotionBenchmarkConfig.testGroups.upperBound + 1
        let image = side.backgrounds[(group - firstGroup) % side.backgrounds.count]
        let source = pools.backgroundSizes[image]
        let size = Double(config.size)
        let xs = camera.map(\.x), ys = camera.map(\.y)
        let (spanX, spanY) = (xs.max()! - xs.min()!, ys.max()! - ys.min()!)
        let coverage = Double.random(in: 0.3...0.7, using: &g)
        // Enough resized pixels for the frame, the camera's travel and one pixel for bilinear reads.
        let scale = max(
            size / (coverage * Double(min(source.width, source.height))),
            (size + spanX + 2) / Double(source.width), (size + spanY + 2) / Double(source.height))
        let (width, height) = (Int((Double(source.width) * scale).rounded(.up)), Int((Double(source.height) * scale).rounded(.up)))
        let originX = Double.random(in: -xs.min()!...(Double(width) - 1 - size - xs.max()!), using: &g)
        let originY = Double.random(in: -ys.min()!...(Double(height) - 1 - size - ys.max()!), using: &g)
        return BackgroundView(image: image, width: width, height: height, originX: originX, originY: originY)
    }
}

/// `value` reflected into `low...high` (a triangle wave): the position of a point bouncing between
/// two walls after travelling freely to `value`.
func fold(_ value: Double, _ low: Double, _ high: Double) -> Double {
    let width = high - low
    guard width > 0 else { return low }
    var u = (value - low).truncatingRemainder(dividingBy: 2 * width)
    if u < 0 { u += 2 * width }
    return low + (u > width ? 2 * width - u : u)
}
