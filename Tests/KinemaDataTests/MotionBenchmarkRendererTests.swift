import Foundation
import KinemaData
import KinemaVideo
import Testing

/// Sampled clips of `version`; `straight` unbends every object at its hinge (version 2), so that a
/// disc's matte centroid is its centre.
private func photoClips(
    version: Int, frames: Int = 6, shake: Double = 0, companion: Double = 0.5, straight: Bool = false
) throws -> (MotionBenchmarkAssets, [MotionBenchmarkClip]) {
    let assets = try BenchmarkFixtures.photoAssets()
    let config = MotionBenchmarkConfig(
        kind: .photos, clipsPerClass: 3, frames: frames, size: 48, seed: 11, cameraShakeProbability: shake, companionProbability: companion,
        version: version)
    var clips = try MotionBenchmarkSampler(config).sampleAll(pools: assets.pools(seed: 11))
    if straight {
        for i in clips.indices {
            clips[i].actor.hinge = clips[i].actor.hinge.map { $0.map { _ in 0 } }
        }
    }
    return (assets, clips)
}

@Test(arguments: [1, 2]) func renderingIsDeterministic(version: Int) throws {
    let (assets, clips) = try photoClips(version: version, shake: 0.5)
    for clip in clips.filter({ $0.clip == 1 && $0.group == 1 }) {
        let frames = try MotionBenchmarkRenderer.render(clip, assets: assets)
        #expect(frames.count == clip.frames && frames.allSatisfy { $0.width == 48 && $0.height == 48 && $0.format == .rgb })
        #expect(try MotionBenchmarkRenderer.render(clip, assets: assets) == frames)
    }
}

@Test(arguments: [1, 2]) func theRenderedObjectSitsWhereItsPosesSay(version: Int) throws {
    // With shake, so the camera's share of the screen motion is checked too (and version 2's zoom).
    let (assets, clips) = try photoClips(version: version, shake: 1, straight: true)
    var checked = 0
    for clip in clips {
        for (t, layer) in try MotionBenchmarkRenderer.layers(of: clip.actor, in: clip, assets: assets).enumerated() {
            let expected = clip.screenPosition(of: clip.actor, frame: t)
            let radius = clip.screenSize(of: clip.actor, frame: t) / 2
            // A disc cut by the frame border has its centroid pulled inwards: check whole discs only.
            guard expected.x - radius >= 1, expected.y - radius >= 1, expected.x + radius <= 46, expected.y + radius <= 46 else { continue }
            let (x, y, _) = BenchmarkFixtures.alphaCentroid(layer)
            #expect(abs(x - expected.x) < 0.25 && abs(y - expected.y) < 0.25, "\(clip.name) frame \(t): centroid (\(x), \(y)) vs \(expected)")
            checked += 1
        }
    }
    #expect(checked > 100)
}

/// A hand-made clip of one object with the given poses (no camera motion, black background).
private func clip(sprite: Int, baseSize: Double, poses: [ObjectPose]) -> MotionBenchmarkClip {
    MotionBenchmarkClip(
        motion: .rotateClockwise, label: 5, group: 9, clip: 1, split: .train, frames: poses.count, size: 64, background: nil,
        companion: nil, actor: PlacedObject(sprite: sprite, baseSize: baseSize, mirrored: false, poses: poses),
        camera: Array(repeating: .zero, count: poses.count))
}

@Test func rotationIsClockwiseOnScreenAndScaleScalesTheArea() throws {
    let assets = try MotionBenchmarkAssets(
        cutouts: [("bar", BenchmarkFixtures.bar(length: 30, thickness: 6))],
        backgrounds: [("flat", Image(width: 64, height: 64, format: .rgb, filledWith: [9, 9, 9]))])
    let poses = [
        ObjectPose(x: 32, y: 32), ObjectPose(x: 32, y: 32, angle: 30), ObjectPose(x: 32, y: 32, angle: -50),
        ObjectPose(x: 32, y: 32, angle: 0, scale: 0.5),
    ]
    let bar = clip(sprite: 0, baseSize: 34, poses: poses)
    let layers = try MotionBenchmarkRenderer.layers(of: bar.actor, in: bar, assets: assets)
    // y points down, so a clockwise turn of 30° tilts the bar's right end downwards: +30°.
    let orientations = layers.map(BenchmarkFixtures.alphaOrientation)
    #expect(abs(orientations[0] - 0) < 1 || abs(orientations[0] - 180) < 1)
    #expect(abs(orientations[1] - 30) < 1)
    #expect(abs(orientations[2] - 130) < 1)
    let areas = layers.map { BenchmarkFixtures.alphaCentroid($0).area }
    #expect(abs(areas[3] / areas[0] - 0.25) < 0.04)
    // The opaque bar keeps its colour exactly inside.
    let rendered = try MotionBenchmarkRenderer.render(bar, assets: assets)
    #expect(rendered[0].pixel(x: 32, y: 32) == [250, 40, 40])
    #expect(rendered[0].pixel(x: 32, y: 5) == [0, 0, 0])
}

@Test(arguments: [1, 2]) func objectMotionClassesKeepTheBackgroundStill(version: Int) throws {
    let (assets, clips) = try photoClips(version: version, shake: 0, companion: 1)
    for clip in clips {
        let frames = try MotionBenchmarkRenderer.render(clip, assets: assets)
        let layers = try clip.objects.map { try MotionBenchmarkRenderer.layers(of: $0, in: clip, assets: assets) }
        /// Pixels no object covers in frames 0 and t.
        func uncovered(_ t: Int) -> [Int] {
            (0..<(48 * 48)).filter { i in layers.allSatisfy { $0[0].pixels[4 * i + 3] == 0 && $0[t].pixels[4 * i + 3] == 0 } }
        }
        for t in 1..<clip.frames {
            let free = uncovered(t)
            #expect(free.count > 48 * 48 / 5)
            let changed = free.filter { i in (0..<3).contains { frames[t].pixels[3 * i + $0] != frames[0].pixels[3 * i + $0] } }.count
            if clip.motion.movesCamera {
                #expect(changed > free.count / 2, "\(clip.name): the camera pans, the background must move")
            } else {
                #expect(changed == 0, "\(clip.name) frame \(t): \(changed) background pixels changed")
            }
        }
    }
}

@Test(arguments: [1, 2]) func cameraShakeMovesTheBackgroundOfObjectMotionClasses(version: Int) throws {
    let (assets, clips) = try photoClips(version: version, shake: 1, companion: 0)
    for clip in clips where !clip.motion.movesCamera {
        let background = try MotionBenchmarkRenderer.backgroundFrames(clip, assets: assets)
        #expect(background[0] != background[clip.frames - 1], "\(clip.name)")
    }
}

@Test func fashionMNISTGarmentsMoveOverBlack() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-idx-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("fashion-mnist"), withIntermediateDirectories: true)
    /// An IDX file of `count` 28×28 garments: a bright square whose place depends on the image.
    func idx(_ count: Int) -> Data {
        var bytes: [UInt8] = [0, 0, 8, 3, 0, 0, 0, UInt8(count), 0, 0, 0, 28, 0, 0, 0, 28]
        for n in 0..<count {
            for y in 0..<28 { for x in 0..<28 { bytes.append((4 + n...14 + n).contains(x) && (6...20).contains(y) ? 200 : 0) } }
        }
        return Data(bytes)
    }
    try idx(5).write(to: folder.appendingPathComponent(MotionBenchmarkAssets.garmentFiles.train))
    try idx(2).write(to: folder.appendingPathComponent(MotionBenchmarkAssets.garmentFiles.test))
    let assets = try MotionBenchmarkAssets.load(from: folder, kind: .fashionMNIST, frameSize: 64)
    #expect(assets.spriteCount == 7)
    #expect(assets.sprite(0).width == 11 && assets.sprite(0).height == 15)  // cropped to the visible square
    let pools = assets.pools(seed: 0)
    #expect(pools.train.sprites == Array(0..<5) && pools.test.sprites == [5, 6] && pools.disjoint)

    for version in MotionBenchmarkConfig.versions {
        let config = MotionBenchmarkConfig(
            kind: .fashionMNIST, clipsPerClass: 2, frames: 4, cameraShakeProbability: 1, companionProbability: 0, version: version)
        #expect(config.classes.count == (version == 1 ? 11 : 15) && !config.classes.contains { $0.movesCamera })
        for clip in try MotionBenchmarkSampler(config).sampleAll(pools: pools) {
            #expect(clip.background == nil && clip.camera.allSatisfy { $0 == .zero } && clip.size == 64)
            let frames = try MotionBenchmarkRenderer.render(clip, assets: assets)
            // One object in version 1; version 2's partner is drawn under the actor, so compare with both.
            var layer = try MotionBenchmarkRenderer.layers(of: clip.actor, in: clip, assets: assets)
            if let partner = clip.partner {
                let under = try MotionBenchmarkRenderer.layers(of: partner, in: clip, assets: assets)
                layer = zip(layer, under).map { top, bottom in
                    var pixels = top.pixels
                    for i in pixels.indices {
                        let (above, below, alpha) = (UInt32(top.pixels[i]), UInt32(bottom.pixels[i]), UInt32(top.pixels[i | 3]))
                        pixels[i] = UInt8(min(255, above + (below * (255 - alpha) + 127) / 255))
                    }
                    return Image(width: top.width, height: top.height, format: .rgba, pixels: pixels)
                }
            }
            for (frame, alpha) in zip(frames, layer) {
                // Gray garments on black: every pixel is its garment's alpha (luminance) in all channels.
                let garment: [UInt8] = stride(from: 3, to: alpha.pixels.count, by: 4).map { alpha.pixels[$0] }
                let gray: [UInt8] = garment.flatMap { [$0, $0, $0] }
                #expect(frame.pixels == gray && garment.contains { $0 > 0 }, "\(clip.name)")
            }
        }
    }
}

@Test func theCameraMovesBackgroundAndObjectsTogether() throws {
    // A camera step of whole pixels makes the next frame an exact shifted copy of the first: the
    // background and the still object both move by −(5, 3) on screen.
    let assets = try BenchmarkFixtures.photoAssets()
    let still = PlacedObject(sprite: 2, baseSize: 20, mirrored: true, poses: Array(repeating: ObjectPose(x: 30, y: 26, angle: 40), count: 2))
    let pan = MotionBenchmarkClip(
        motion: .cameraPan, label: 11, group: 3, clip: 1, split: .test, frames: 2, size: 48,
        background: BackgroundView(image: 1, width: 160, height: 120, originX: 10, originY: 10), companion: nil, actor: still,
        camera: [CameraOffset(x: 0, y: 0), CameraOffset(x: 5, y: 3)])
    let frames = try MotionBenchmarkRenderer.render(pan, assets: assets)
    var shifted = true
    for v in 0..<45 { for u in 0..<43 { shifted = shifted && frames[1].pixel(x: u, y: v) == frames[0].pixel(x: u + 5, y: v + 3) } }
    #expect(shifted)
    let layers = try MotionBenchmarkRenderer.layers(of: still, in: pan, assets: assets)
    let (a, b) = (BenchmarkFixtures.alphaCentroid(layers[0]), BenchmarkFixtures.alphaCentroid(layers[1]))
    #expect(abs(b.x - a.x + 5) < 1e-6 && abs(b.y - a.y + 3) < 1e-6)
    #expect(frames[0] != frames[1])
}
