import Foundation
@testable import KinemaData
import KinemaVideo
import Testing

// Version 2 of the motion benchmark: its new classes against their definitions, its time-reversal
// pairs, and the absence of single-frame appearance leaks at parameter level.

private let side = 64

private func clips(_ classes: [MotionClass]? = nil, perClass: Int, frames: Int = 8, shake: Double = 0.5, seed: UInt64 = 21,
                   version: Int = 2) throws -> [MotionBenchmarkClip] {
    let assets = try BenchmarkFixtures.photoAssets()
    let sampler = try MotionBenchmarkSampler(MotionBenchmarkConfig(
        kind: .photos, clipsPerClass: perClass, frames: frames, size: side, seed: seed, cameraShakeProbability: shake, version: version))
    let pools = assets.pools(seed: seed)
    return sampler.slots.filter { classes?.contains($0.motion) ?? true }.map { sampler.sample($0, pools: pools) }
}

private typealias Point = (x: Double, y: Double)
private func minus(_ a: Point, _ b: Point) -> Point { (a.x - b.x, a.y - b.y) }
private func length(_ v: Point) -> Double { (v.x * v.x + v.y * v.y).squareRoot() }
private func scenePath(_ object: PlacedObject) -> [Point] { object.poses.map { ($0.x, $0.y) } }
private func steps(_ path: [Point]) -> [Point] { zip(path.dropFirst(), path).map { minus($0, $1) } }

@Test func version2HasEighteenClassesAndFourTimeReversalPairs() {
    #expect(MotionBenchmarkConfig().classes.count == 18 && MotionBenchmarkConfig(version: 1).classes.count == 12)
    #expect(MotionClass.classes(version: 2).prefix(12) == MotionClass.classes(version: 1)[...])
    let pairs = MotionClass.timeReversalPairs.map { "\($0.0.rawValue)/\($0.1.rawValue)" }
    #expect(Set(pairs) == ["MoveLeft/MoveRight", "MoveDown/MoveUp", "Approach/Recede", "RotateClockwise/RotateCounterclockwise"])
    for motion in MotionClass.allCases { #expect(motion.timeReversed?.timeReversed.map { $0 == motion } ?? true) }
    #expect(MotionClass.allCases.allSatisfy { !$0.explanation.isEmpty })
}

@Test func newClassesFollowTheirDefinitions() throws {
    let s = Double(side)
    let sample = try clips([.orbit, .stopAndGo, .oppositeDirections, .cameraZoom, .moveDuringPan, .flap], perClass: 30, frames: 16, shake: 0)
    for clip in sample {
        let actor = scenePath(clip.actor), moves = steps(actor)
        #expect(clip.objects.count >= 2 && clip.partner != nil)
        switch clip.motion {
        case .orbit:
            // Constant speed and constant turning: a circle of radius 0.08–0.14 S, 1–1.5 turns.
            let speed = moves.map(length)
            let turns = zip(moves.dropFirst(), moves).map { atan2($0.y * $1.x - $0.x * $1.y, $0.x * $1.x + $0.y * $1.y) }
            #expect(speed.allSatisfy { abs($0 - speed[0]) < 1e-9 * s } && turns.allSatisfy { abs($0 - turns[0]) < 1e-9 })
            let turn = abs(turns[0]), radius = speed[0] / (2 * sin(turn / 2))
            let total = turn * 15 / (2 * .pi)
            #expect(radius >= 0.08 * s - 1e-9 && radius <= 0.14 * s + 1e-9 && total >= 1 - 1e-9 && total <= 1.5 + 1e-9, "\(clip.name)")
        case .stopAndGo:
            // Moves, stands still for 30–50 % of the clip (3–7 of 15 steps), moves again, along one line.
            let speed = moves.map(length)
            let still = speed.indices.filter { speed[$0] < 1e-9 }
            #expect(still.count >= 3 && still.count <= 7 && still.last! - still.first! == still.count - 1, "\(clip.name): \(speed)")
            #expect(speed.first! > 0 && speed.last! > 0)
            let moving = speed.filter { $0 > 1e-9 }
            #expect(moving.dropLast().allSatisfy { abs($0 - moving.max()!) < 1e-9 * s || $0 < moving.max()! })
            let distance = length(minus(actor.last!, actor[0]))
            #expect(distance >= 0.20 * s - 1e-9 && distance <= 0.30 * s + 1e-9 && abs(speed.reduce(0, +) - distance) < 1e-9 * s)
        case .oppositeDirections:
            let partner = scenePath(clip.partner!)
            let (a, b) = (minus(actor.last!, actor[0]), minus(partner.last!, partner[0]))
            #expect(abs(a.x + b.x) < 1e-9 && abs(a.y + b.y) < 1e-9 && length(a) >= 0.12 * s - 1e-9 && length(a) <= 0.22 * s + 1e-9)
            #expect(clip.movingObjects.count == 2 && clip.stillObjects.count == (clip.companion == nil ? 0 : 1))
        case .cameraZoom:
            // Every object stays in the scene; the zoom is geometric from 1 to 1.6–2 (or back) about the centre.
            let zoom = clip.zoom!
            #expect(clip.objects.allSatisfy { Set(scenePath($0).map { "\($0.x),\($0.y)" }).count == 1 })
            #expect(zoom.min()! == 1 && zoom.max()! >= 1.6 - 1e-9 && zoom.max()! <= 2 + 1e-9 && (zoom[0] == 1 || zoom.last! == 1))
            let ratios = zip(zoom.dropFirst(), zoom).map { $0 / $1 }
            #expect(ratios.allSatisfy { abs($0 - ratios[0]) < 1e-9 })
            let c = Double(side - 1) / 2
            for t in 0..<clip.frames { #expect(abs(clip.zoom(at: t) * (c - clip.camera[t].x) - c) < 1e-9) }
            #expect(clip.movingObjects.isEmpty && clip.stillObjects.count == clip.objects.count)
        case .moveDuringPan:
            let pan = length((clip.camera.last!.x, clip.camera.last!.y))
            let distance = length(minus(actor.last!, actor[0]))
            #expect(pan >= 0.25 * s - 1e-9 && pan <= 0.40 * s + 1e-9 && distance >= 0.12 * s - 1e-9 && distance <= 0.22 * s + 1e-9)
            #expect(clip.movingObjects.count == 1 && Set(scenePath(clip.partner!).map { "\($0.x),\($0.y)" }).count == 1)
        case .flap:
            let hinge = clip.actor.hinge!
            #expect(hinge.max()! - hinge.min()! > 10 && hinge.allSatisfy { abs($0) <= 45 }, "\(clip.name)")
            #expect(length(minus(actor.last!, actor[0])) <= 0.06 * s + 1e-9)
        default:
            Issue.record("unexpected class \(clip.motion)")
        }
        // Only Flap bends an object over time; every other object keeps its bend (at most 45°).
        for object in clip.objects where !(clip.motion == .flap && object == clip.actor) {
            #expect(Set(object.hinge!).count == 1 && abs(object.hinge![0]) <= 45)
        }
    }
}

@Test func flapTurnsTheUpperHalfAboutTheHinge() throws {
    // An upright opaque bar 6 × 30 drawn at its own size, centred on (32, 32): its hinge is the
    // centre of the frame. At hinge angle 90° its upper half points right (clockwise on screen),
    // so the matte's centroid moves from the centre by (+L/8, +L/8), L = 30 (within the few pixels
    // where the halves meet).
    var pixels = [UInt8](repeating: 0, count: 10 * 34 * 4)
    for y in 2..<32 { for x in 2..<8 { pixels.replaceSubrange(((y * 10 + x) * 4)..<((y * 10 + x) * 4 + 4), with: [250, 40, 40, 255]) } }
    let assets = try MotionBenchmarkAssets(
        cutouts: [("bar", Image(width: 10, height: 34, format: .rgba, pixels: pixels))],
        backgrounds: [("flat", Image(width: 64, height: 64, format: .rgb, filledWith: [9, 9, 9]))])
    let object = PlacedObject(sprite: 0, baseSize: 30, mirrored: false, poses: Array(repeating: ObjectPose(x: 32, y: 32), count: 2), hinge: [0, 90])
    let clip = MotionBenchmarkClip(
        motion: .flap, label: 17, group: 9, clip: 1, split: .train, frames: 2, size: 64, background: nil, companion: nil, actor: object,
        camera: Array(repeating: .zero, count: 2), version: 2)
    let layers = try MotionBenchmarkRenderer.layers(of: object, in: clip, assets: assets)
    let (straight, bent) = (BenchmarkFixtures.alphaCentroid(layers[0]), BenchmarkFixtures.alphaCentroid(layers[1]))
    #expect(abs(straight.x - 32) < 0.05 && abs(straight.y - 32) < 0.05 && abs(straight.area - 180) < 1, "\(straight)")
    #expect(abs(bent.x - (32 + 30.0 / 8)) < 0.5 && abs(bent.y - (32 + 30.0 / 8)) < 0.5, "\(bent)")
    // The upper part reaches one row under the lower one, so no seam shows on the straight object:
    // the pixel below the hinge line (y 31.5) is as opaque as the one above.
    #expect(layers[0].pixels[(32 * 64 + 32) * 4 + 3] == 255 && layers[0].pixels[(31 * 64 + 32) * 4 + 3] == 255)
    #expect(layers[1].pixels[(20 * 64 + 32) * 4 + 3] == 0 && layers[1].pixels[(32 * 64 + 44) * 4 + 3] == 255)
}

@Test func cameraZoomMagnifiesTheSceneAboutTheFrameCentre() throws {
    // A background whose red byte is its x and green byte its y: bilinear reads of it are exact,
    // so frame pixel (u, v) must show photo point origin + camera + (u, v) / zoom.
    var ramp = [UInt8](repeating: 0, count: 160 * 120 * 3)
    for y in 0..<120 { for x in 0..<160 { (ramp[(y * 160 + x) * 3], ramp[(y * 160 + x) * 3 + 1]) = (UInt8(x), UInt8(y)) } }
    let photo = Image(width: 160, height: 120, format: .rgb, pixels: ramp)
    let assets = try MotionBenchmarkAssets(cutouts: [("disc", BenchmarkFixtures.disc(radius: 3, colour: [1, 2, 3]))], backgrounds: [("ramp", photo)])
    let zoom = [1.0, 1.25, 2.0], c = 31.5
    let camera = zoom.map { CameraOffset(x: c - c / $0, y: c - c / $0) }
    let clip = MotionBenchmarkClip(
        motion: .cameraZoom, label: 15, group: 9, clip: 1, split: .train, frames: 3, size: 64,
        background: BackgroundView(image: 0, width: 160, height: 120, originX: 20, originY: 10), companion: nil,
        actor: PlacedObject(sprite: 0, baseSize: 7, mirrored: false, poses: Array(repeating: ObjectPose(x: 10, y: 10), count: 3)),
        camera: camera, version: 2, zoom: zoom)
    let frames = try MotionBenchmarkRenderer.backgroundFrames(clip, assets: assets)
    for t in 0..<3 {
        for (u, v) in [(0, 0), (31, 31), (63, 0), (10, 50), (63, 63)] {
            let (x, y) = (20 + camera[t].x + Double(u) / zoom[t], 10 + camera[t].y + Double(v) / zoom[t])
            let pixel = frames[t].pixel(x: u, y: v)
            // Rounding to a byte (0.5) plus OpenCV's warp coordinates in 1/32 px steps (≤ 1/64 off).
            let tolerance = 0.5 + 1.0 / 64 + 1e-9
            #expect(abs(Double(pixel[0]) - x) <= tolerance && abs(Double(pixel[1]) - y) <= tolerance, "frame \(t) (\(u), \(v)): \(pixel) vs (\(x), \(y))")
        }
    }
    // The still object grows with the scene and stays where the scene point is.
    #expect(clip.screenSize(of: clip.actor, frame: 2) == 14 && clip.screenPosition(of: clip.actor, frame: 2) == (2 * (10 - camera[2].x), 2 * (10 - camera[2].y)))
}

/// Single-frame quantities of an object: on-screen centre, size, the visible fraction of its
/// bounding square, and the signed distance of its centre to the nearest border (px).
private func appearance(_ clip: MotionBenchmarkClip, _ object: PlacedObject, frame t: Int) -> [Double] {
    let (x, y) = clip.screenPosition(of: object, frame: t)
    let size = clip.screenSize(of: object, frame: t)
    let (low, high) = (-0.5, Double(clip.size) - 0.5)
    func overlap(_ centre: Double) -> Double { max(0, min(high, centre + size / 2) - max(low, centre - size / 2)) / size }
    return [x, y, size, overlap(x) * overlap(y), min(x - low, high - x, y - low, high - y)]
}
private let appearanceNames = ["centre x", "centre y", "size", "visible fraction", "distance to border"]

private struct Moments {
    var n = 0.0, sum = 0.0, squares = 0.0
    mutating func add(_ v: Double) { (n, sum, squares) = (n + 1, sum + v, squares + v * v) }
    var mean: Double { sum / n }
    var variance: Double { (squares - n * mean * mean) / (n - 1) }
}

/// The largest |z| of a class mean against the pooled mean (standard error of the difference
/// from both samples), over every class and quantity, with where it happened.
private func largestLeak(
    _ sample: [MotionBenchmarkClip], quantities: Set<Int> = Set(appearanceNames.indices), frame: (MotionBenchmarkClip, inout SeededGenerator) -> Int
) -> (z: Double, what: String) {
    var g = SeededGenerator(seed: 99, index: 0)
    var perClass: [MotionClass: [Moments]] = [:], pooled = Array(repeating: Moments(), count: appearanceNames.count)
    for clip in sample {
        let values = appearance(clip, clip.actor, frame: frame(clip, &g))
        for (i, v) in values.enumerated() {
            perClass[clip.motion, default: Array(repeating: Moments(), count: appearanceNames.count)][i].add(v)
            pooled[i].add(v)
        }
    }
    var worst = (z: 0.0, what: "")
    for (motion, moments) in perClass {
        for (i, m) in moments.enumerated() {
            let z = abs(m.mean - pooled[i].mean) / (m.variance / m.n + pooled[i].variance / pooled[i].n).squareRoot()
            guard quantities.contains(i) else { continue }
            if z > worst.z { worst = (z, "\(motion.rawValue) \(appearanceNames[i]): class mean \(m.mean), pooled \(pooled[i].mean)") }
        }
    }
    return worst
}

// 18 classes × 4 quantities = 72 comparisons; |z| > 4.4 has probability 1.1e-5 each under the null
// (normal tails), so all 72 pass with probability ≥ 1 − 72 · 1.1e-5 ≈ 0.999.
private let leakThreshold = 4.4

@Test func aSingleFrameAtARandomTimeDoesNotTellTheClass() throws {
    let sample = try clips(perClass: 400)
    var g = SeededGenerator(seed: 98, index: 0)
    let frames = Dictionary(uniqueKeysWithValues: sample.map { ($0.name, Int.random(in: 0..<$0.frames, using: &g)) })
    // Centre, size and distance to the border: every class's mean within k standard errors of the pooled mean.
    let leak = largestLeak(sample, quantities: [0, 1, 2, 4]) { clip, _ in frames[clip.name]! }
    #expect(leak.z < leakThreshold, "\(leak.what), |z| = \(leak.z)")
    // Being cut by the frame border is a cue that cannot be equal: an object that travels far must
    // come closer to the border than one that stays (Rotate*, Approach: almost never cut; MoveFast:
    // sometimes). A single-frame classifier can gain from it at most on the frames where it shows,
    // so their share bounds its gain over chance: frames where over 10 % of the actor's bounding
    // square lies outside stay under 2 % of all frames (the single-frame control allows 5 points).
    let cut = sample.filter { appearance($0, $0.actor, frame: frames[$0.name]!)[3] < 0.9 }.count
    #expect(Double(cut) < 0.02 * Double(sample.count), "\(cut) of \(sample.count) frames cut the actor")
}

@Test func version1LeaksTheDirectionThroughTheFirstFrame() throws {
    // Why version 2 exists: version 1 placed the start so that the whole path stays inside, so
    // MoveRight starts on the left and MoveLeft on the right.
    let sample = try clips(perClass: 400, version: 1)
    let leak = largestLeak(sample) { _, _ in 0 }
    #expect(leak.z > 10 * leakThreshold, "\(leak.what), |z| = \(leak.z)")
}

/// Per-clip quantities whose distribution the time reversal must carry from one class to its pair:
/// on-screen start and end of the actor, its start and end size, the cosine and sine of its start
/// angle, its turn, and its start bend.
private func endpoints(_ clip: MotionBenchmarkClip, reversed: Bool) -> [Double] {
    let (first, last) = reversed ? (clip.frames - 1, 0) : (0, clip.frames - 1)
    let (a, b) = (clip.screenPosition(of: clip.actor, frame: first), clip.screenPosition(of: clip.actor, frame: last))
    let angle = clip.actor.poses[first].angle * .pi / 180
    return [a.x, a.y, b.x, b.y, clip.screenSize(of: clip.actor, frame: first), clip.screenSize(of: clip.actor, frame: last),
            cos(angle), sin(angle), clip.actor.poses[last].angle - clip.actor.poses[first].angle, clip.actor.hinge![first]]
}

/// The largest |z| between the means of `a` (reversed when asked) and `b`, over the quantities.
private func largestDifference(_ a: [MotionBenchmarkClip], reversed: Bool, _ b: [MotionBenchmarkClip]) -> Double {
    func moments(_ clips: [MotionBenchmarkClip], _ reversed: Bool) -> [Moments] {
        var m: [Moments] = []
        for clip in clips {
            let values = endpoints(clip, reversed: reversed)
            if m.isEmpty { m = Array(repeating: Moments(), count: values.count) }
            for (i, v) in values.enumerated() { m[i].add(v) }
        }
        return m
    }
    let (ma, mb) = (moments(a, reversed), moments(b, false))
    return zip(ma, mb).map { abs($0.mean - $1.mean) / ($0.variance / $0.n + $1.variance / $1.n).squareRoot() }.max()!
}

@Test func timeReversalPairsAreEachOthersReversalInDistribution() throws {
    // 4 pairs × 10 quantities = 40 comparisons at |z| < 4.4: a false alarm has probability < 0.0005.
    let sample = try clips(perClass: 500)
    for (a, b) in MotionClass.timeReversalPairs {
        let (clipsA, clipsB) = (sample.filter { $0.motion == a }, sample.filter { $0.motion == b })
        #expect(largestDifference(clipsA, reversed: true, clipsB) < leakThreshold, "\(a) reversed vs \(b)")
        #expect(largestDifference(clipsB, reversed: true, clipsA) < leakThreshold, "\(b) reversed vs \(a)")
        // The comparison can fail: the pair played forwards differs.
        #expect(largestDifference(clipsA, reversed: false, clipsB) > leakThreshold, "\(a) vs \(b) forwards")
    }
}
