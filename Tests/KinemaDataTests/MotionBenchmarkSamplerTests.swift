import Foundation
@testable import KinemaData
import Testing

private let size = 48.0

// Version 1's class definitions (MotionBenchmarkVersion2Tests checks version 2's).
private func sampler(_ kind: MotionBenchmarkKind = .photos, clips: Int = 25, frames: Int = 8, seed: UInt64 = 3,
                     shake: Double = 0) throws -> MotionBenchmarkSampler {
    try MotionBenchmarkSampler(MotionBenchmarkConfig(
        kind: kind, clipsPerClass: clips, frames: frames, size: Int(size), seed: seed, cameraShakeProbability: shake, version: 1))
}

@Test func slotsAreBalancedAndSpreadOverTheUCF101Groups() throws {
    for clips in [4, 25, 30] {
        let slots = try sampler(clips: clips).slots
        let classes = MotionBenchmarkKind.photos.classes(version: 1)
        #expect(slots.count == classes.count * clips)
        // Every class gets the same groups and clip numbers, so each split is balanced too.
        let layout = { (motion: MotionClass) in slots.filter { $0.motion == motion }.map { "\($0.group)/\($0.clip)" } }
        for motion in classes { #expect(layout(motion) == layout(classes[0])) }
        for motion in classes { #expect(Set(layout(motion)).count == clips) }
        #expect(slots.allSatisfy { (1...25).contains($0.group) && $0.clip >= 1 })
        #expect(Set(slots.map(\.index)) == Set(0..<slots.count))
        #expect(slots.allSatisfy { $0.label == classes.firstIndex(of: $0.motion) })
    }
    // 4 clips land in groups 1, 7, 13 and 19: two test, two train; 30 clips cover every group.
    #expect(try sampler(clips: 4).slots.prefix(4).map(\.group) == [1, 7, 13, 19])
    #expect(Set(try sampler(clips: 30).slots.prefix(30).map(\.group)) == Set(1...25))
}

@Test func clipsAreDeterministicForASeedAndIndependentOfDrawOrder() throws {
    let assets = try BenchmarkFixtures.photoAssets()
    let pools = assets.pools(seed: 3)
    let a = try sampler(shake: 0.5).sampleAll(pools: pools)
    let b = try sampler(shake: 0.5).sampleAll(pools: pools)
    #expect(a == b)
    // One clip drawn on its own equals the same clip drawn among all the others.
    let s = try sampler(shake: 0.5)
    #expect(s.sample(s.slots[37], pools: pools) == a[37])
    let other = try sampler(seed: 4, shake: 0.5).sampleAll(pools: assets.pools(seed: 4))
    #expect(zip(a, other).filter { $0 == $1 }.isEmpty)
    #expect(assets.pools(seed: 3) == pools)
}

@Test func trainAndTestUseDisjointObjectsAndBackgrounds() throws {
    let assets = try BenchmarkFixtures.photoAssets()
    let pools = assets.pools(seed: 3)
    #expect(pools.disjoint)
    #expect(pools.test.sprites.count == 3 && pools.train.sprites.count == 7)  // round(10 · 7/25) = 3
    #expect(pools.test.backgrounds.count == 1 && pools.train.backgrounds.count == 3)
    for clip in try sampler().sampleAll(pools: pools) {
        #expect(clip.split == (clip.group <= 7 ? .test : .train))
        let side = pools[clip.split]
        #expect(clip.objects.allSatisfy { side.sprites.contains($0.sprite) })
        #expect(clip.background.map { side.backgrounds.contains($0.image) } == true)
        #expect(clip.companion?.sprite != clip.actor.sprite)
    }
}

/// On-screen displacement of the actor from the first to the last frame.
private func travel(_ clip: MotionBenchmarkClip) -> (dx: Double, dy: Double) {
    let first = clip.screenPosition(of: clip.actor, frame: 0), last = clip.screenPosition(of: clip.actor, frame: clip.frames - 1)
    return (last.x - first.x, last.y - first.y)
}

@Test func sampledMotionsFollowTheirClassDefinitions() throws {
    let assets = try BenchmarkFixtures.photoAssets()
    let clips = try sampler().sampleAll(pools: assets.pools(seed: 3))
    let tan15 = tan(15 * Double.pi / 180)
    for clip in clips {
        let (dx, dy) = travel(clip)
        let distance = (dx * dx + dy * dy).squareRoot()
        let angles = clip.actor.poses.map(\.angle), scales = clip.actor.poses.map(\.scale)
        let turn = angles.last! - angles.first!, growth = scales.last! / scales.first!
        let still = clip.camera.allSatisfy { $0 == .zero }
        #expect(still == (clip.motion != .cameraPan), "\(clip.name): only CameraPan moves the camera without shake")
        switch clip.motion {
        case .moveRight: #expect(dx >= 0.19 * size && abs(dy) <= dx * tan15 + 1e-9, "\(clip.name)")
        case .moveLeft: #expect(-dx >= 0.19 * size && abs(dy) <= -dx * tan15 + 1e-9, "\(clip.name)")
        case .moveDown: #expect(dy >= 0.19 * size && abs(dx) <= dy * tan15 + 1e-9, "\(clip.name)")
        case .moveUp: #expect(-dy >= 0.19 * size && abs(dx) <= -dy * tan15 + 1e-9, "\(clip.name)")
        case .moveFast: #expect(distance >= 0.49 * size && distance <= 0.71 * size, "\(clip.name)")
        case .rotateClockwise: #expect(turn >= 120 && turn <= 240 && distance <= 0.061 * size, "\(clip.name)")
        case .rotateCounterclockwise: #expect(-turn >= 120 && -turn <= 240 && distance <= 0.061 * size, "\(clip.name)")
        case .approach: #expect(growth >= 1.6 - 1e-9 && growth <= 2.0 + 1e-9, "\(clip.name)")
        case .recede: #expect(1 / growth >= 1.6 - 1e-9 && 1 / growth <= 2.0 + 1e-9, "\(clip.name)")
        case .swingSideways:
            // Goes both ways horizontally.
            let xs = clip.actor.poses.map(\.x)
            let steps = zip(xs.dropFirst(), xs).map { $0 - $1 }
            #expect(steps.contains { $0 > 0 } && steps.contains { $0 < 0 }, "\(clip.name)")
        case .bounceOffWalls:
            // Reverses along x or y once it has touched a wall.
            let xs = clip.actor.poses.map(\.x), ys = clip.actor.poses.map(\.y)
            func reverses(_ v: [Double]) -> Bool {
                let steps = zip(v.dropFirst(), v).map { $0 - $1 }
                return steps.contains { $0 > 1e-9 } && steps.contains { $0 < -1e-9 }
            }
            #expect(reverses(xs) || reverses(ys), "\(clip.name)")
        case .orbit, .stopAndGo, .oppositeDirections, .cameraZoom, .moveDuringPan, .flap:
            Issue.record("\(clip.motion) is not a version-1 class")
        case .cameraPan:
            // The object stays in the scene; the camera travels 0.25–0.40 S.
            let pan = (clip.camera.last!.x * clip.camera.last!.x + clip.camera.last!.y * clip.camera.last!.y).squareRoot()
            #expect(Set(clip.actor.poses.map { "\($0.x),\($0.y)" }).count == 1 && pan >= 0.249 * size && pan <= 0.401 * size)
        }
        // Sizes never tell the class: every object of every class stays within 0.22–0.44 S on every frame.
        for object in clip.objects {
            let sizes = object.poses.map { object.baseSize * $0.scale / size }
            #expect(sizes.allSatisfy { $0 >= 0.22 - 1e-9 && $0 <= 0.44 + 1e-9 }, "\(clip.name): sizes \(sizes)")
        }
        // Translation classes keep the object's centre at least 0.1 S inside the frame.
        if [.moveLeft, .moveRight, .moveUp, .moveDown, .moveFast, .cameraPan].contains(clip.motion) {
            for t in 0..<clip.frames {
                let p = clip.screenPosition(of: clip.actor, frame: t)
                #expect(p.x >= 0.1 * size - 1e-9 && p.x <= 0.9 * size + 1e-9 && p.y >= 0.1 * size - 1e-9 && p.y <= 0.9 * size + 1e-9)
            }
        }
    }
}

@Test func cameraShakeIsADistractorOfEveryClass() throws {
    let assets = try BenchmarkFixtures.photoAssets()
    let clips = try sampler(clips: 40, shake: 0.5).sampleAll(pools: assets.pools(seed: 3))
    for motion in MotionClass.classes(version: 1) where motion != .cameraPan {
        let shaken = clips.filter { $0.motion == motion && $0.camera.contains { $0 != .zero } }.count
        #expect(shaken >= 8 && shaken <= 32, "\(motion): \(shaken) of 40 clips shaken")
    }
    for clip in clips { #expect(throws: Never.self) { try clip.validate() } }
}

@Test func foldBouncesBetweenTwoWalls() {
    #expect(fold(5, 0, 10) == 5)
    #expect(fold(12, 0, 10) == 8)
    #expect(fold(-3, 0, 10) == 3)
    #expect(fold(25, 0, 10) == 5)
    #expect(fold(7, 4, 4) == 4)
}
