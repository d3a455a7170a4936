import Foundation
import KinemaData
import KinemaVideo
import Testing

// Version 1 of the motion benchmark must stay reproducible bit for bit: results published on it
// (docs/results.md before issue 9) are only comparable if `--benchmark-version 1` still makes the
// same clips. The expected digests below were computed by this file's code run against the
// released 0.3.0 code (the unchanged v1 sampler and renderer), before version 2 existed; they are
// the reference, not a value recomputed by the code under test.

/// FNV-1a, 64 bit: a fixed, dependency-free digest (collisions are irrelevant here: any change of
/// the clips is what we look for).
private struct Digest {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    }
    mutating func add(_ n: Int) { add(withUnsafeBytes(of: Int64(n).littleEndian, Array.init)) }
    mutating func add(_ x: Double) { add(withUnsafeBytes(of: x.bitPattern.littleEndian, Array.init)) }
    mutating func add(_ s: String) { add(Array(s.utf8)); add(0) }

    mutating func add(_ object: PlacedObject?) {
        guard let object else { return add(-1) }
        add(object.sprite); add(object.baseSize); add(object.mirrored ? 1 : 0)
        for pose in object.poses { add(pose.x); add(pose.y); add(pose.angle); add(pose.scale) }
    }

    /// Every parameter a version-1 clip has, in a fixed order, as exact bit patterns.
    mutating func add(_ clip: MotionBenchmarkClip) {
        add(clip.motion.rawValue); add(clip.label); add(clip.group); add(clip.clip); add(clip.split.rawValue)
        add(clip.frames); add(clip.size)
        if let view = clip.background {
            add(view.image); add(view.width); add(view.height); add(view.originX); add(view.originY)
        } else {
            add(-1)
        }
        add(clip.companion); add(clip.actor)
        for camera in clip.camera { add(camera.x); add(camera.y) }
    }
}

private func version1Clips() throws -> (MotionBenchmarkAssets, [MotionBenchmarkClip]) {
    let assets = try BenchmarkFixtures.photoAssets()
    let config = MotionBenchmarkConfig(kind: .photos, clipsPerClass: 3, frames: 5, size: 32, seed: 7, version: 1)
    return (assets, try MotionBenchmarkSampler(config).sampleAll(pools: assets.pools(seed: 7)))
}

@Test func version1ClipParametersMatchTheReleasedCode() throws {
    let (_, clips) = try version1Clips()
    var digest = Digest()
    for clip in clips { digest.add(clip) }
    #expect(clips.count == 36)
    #expect(digest.value == 0xecd5_6619_a601_7eaf)
}

@Test func version1FramesMatchTheReleasedCode() throws {
    let (assets, clips) = try version1Clips()
    var digest = Digest()
    for clip in clips { for frame in try MotionBenchmarkRenderer.render(clip, assets: assets) { digest.add(frame.pixels) } }
    #expect(digest.value == 0x7435_0a83_2176_b621)
}
