import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaPretext
import KinemaTestSupport
import KinemaVideo
import Testing

private typealias Seeded = KinemaData.SeededGenerator

/// A whole group rendered from the fixture's parameters equals, byte for byte, the official
/// generator's crops along the path, width flip and static mask (gen_mosi.py `render_group`).
@Test func renderedGroupMatchesTheOfficialGenerator() throws {
    let fx = try mosiFixture()
    let source = Image(width: 30, height: 24, format: .rgb, pixels: try fx.bytes("render.source"))
    let params = try fx.ints("render.params")
    let distances = try fx.doubles("render.distance")
    let expected = try fx.bytes("render.clips")
    let pool = try MoSILabelPool()
    let clipBytes = 5 * 8 * 8 * 3
    var flips = 0, masks = 0
    for label in 0..<pool.count {
        // label, square x/y, start x/y, flip, has mask, mask x/y, mask side, background frame
        let p = Array(params[(label * 11)..<(label * 11 + 11)])
        let mask = p[6] == 1 ? MoSIMask(x: p[7], y: p[8], width: p[9], height: p[9], backgroundFrame: p[10]) : nil
        let sample = MoSISample(
            label: p[0], speed: pool.speeds[label], frameCount: 5, cropSize: 8, standardSize: 24, resizedWidth: 30,
            resizedHeight: 24, squareX: p[1], squareY: p[2], startX: p[3], startY: p[4],
            distanceX: distances[label * 2], distanceY: distances[label * 2 + 1], flipped: p[5] == 1, mask: mask)
        let clip = try MoSIRenderer.render(sample, source: source)
        #expect(clip.count == 5 && clip.allSatisfy { $0.width == 8 && $0.height == 8 })
        let ours = clip.flatMap(\.pixels)
        #expect(ours == Array(expected[(label * clipBytes)..<((label + 1) * clipBytes)]), "label \(label) \(sample.speed)")
        flips += p[5]
        masks += p[6]
    }
    #expect(flips > 0 && flips < 9 && masks > 0 && masks < 9, "the fixture should mix flipped/masked clips")
}

/// Default geometry (Ls 320, L 112, N 16), validation: each frame is exactly the source window at the
/// official positions (docs/reference-implementations.md §1.4, values from torch.linspace in MoSIPathTests), so
/// the per-frame displacement is the expected number of pixels.
@Test func framesMoveByTheOfficialPixelsOnATexture() throws {
    let source = texture(width: 400, height: 320)
    let config = MoSIConfig(split: .validation, staticMask: .none, colorJitter: .none)
    let sampler = try MoSISampler(config)
    let pool = config.labelPool
    let slow = [52, 58, 65, 72, 79, 86, 93, 100, 107, 114, 121, 128, 135, 142, 149, 156]
    let fastBack = [208, 194, 180, 166, 152, 138, 124, 110, 97, 83, 69, 55, 41, 27, 13, 0]
    let still = Array(repeating: 104, count: 16)
    let expected: [MoSISpeed: (x: [Int], y: [Int])] = [
        MoSISpeed(x: 1, y: 0): (slow, still), MoSISpeed(x: -2, y: 0): (fastBack, still),
        MoSISpeed(x: 0, y: 1): (still, slow), MoSISpeed(x: 0, y: -2): (still, fastBack), .still: (still, still),
    ]
    var generator = Seeded(seed: 11)
    for (speed, path) in expected {
        let sample = sampler.sample(label: pool.label(of: speed)!, sourceWidth: 400, sourceHeight: 320, using: &generator)
        let clip = try MoSIRenderer.render(sample, source: source)
        for t in 0..<16 {
            let at = texturePosition(clip[t], x: 0, y: 0)
            #expect(at.x - sample.squareX == path.x[t] && at.y - sample.squareY == path.y[t], "\(speed) frame \(t)")
            #expect(clip[t].pixels == windowBytes(source, x: at.x, y: at.y, side: 112), "\(speed) frame \(t) is not a plain window")
        }
    }
}

/// The same on a real photo: the standardised photo (resized once) cut at the official positions.
@Test
func framesAreWindowsOfARealPhoto() throws {
    let photo = try TestData.photo("astronaut")
    let sampler = try MoSISampler(MoSIConfig(split: .validation, staticMask: .none, colorJitter: .none))
    var generator = Seeded(seed: 12)
    let group = sampler.sampleGroup(sourceWidth: photo.width, sourceHeight: photo.height, using: &generator)
    let clips = try MoSIRenderer.render(group, source: photo)
    let square = try MoSIRenderer.standardized(photo, for: group.samples[0])
    #expect(square.width == 320 && square.height == 320)
    for (sample, clip) in zip(group.samples, clips) {
        for (t, offset) in sample.windowOffsets.enumerated() {
            let window = windowBytes(square, x: sample.squareX + offset.x, y: sample.squareY + offset.y, side: 112)
            #expect(clip[t].pixels == window, "\(sample.speed) frame \(t)")
        }
        if sample.speed == MoSISpeed(x: 2, y: 0) {
            // 208 px over 15 steps: content moves left by 13 or 14 px per frame.
            let steps = zip(sample.windowOffsets.dropFirst(), sample.windowOffsets).map { $0.x - $1.x }
            #expect(steps.allSatisfy { $0 == 13 || $0 == 14 } && steps.reduce(0, +) == 208)
        }
    }
}

/// Eq. 3: outside the box every frame is the background frame, inside it every frame is its own
/// window — on the texture, so positions are checked exactly, and with flips.
@Test(arguments: [MoSIFlipPolicy.none, .officialNoSwap])
func staticMaskKeepsOnlyTheBoxMoving(flip: MoSIFlipPolicy) throws {
    let source = texture(width: 60, height: 48)
    let sampler = try MoSISampler(smallConfig(mask: .randomRatio(0.3...0.5), flip: flip))
    var generator = Seeded(seed: 13)
    var checkedMotion = false
    for _ in 0..<4 {
        let group = sampler.sampleGroup(sourceWidth: 60, sourceHeight: 48, using: &generator)
        let clips = try MoSIRenderer.render(group, source: source)
        for (sample, clip) in zip(group.samples, clips) {
            let mask = try #require(sample.mask)
            let windows = sample.windowOffsets.map { o in
                let window = Image(width: 16, height: 16, format: .rgb,
                    pixels: windowBytes(source, x: sample.squareX + o.x, y: sample.squareY + o.y, side: 16))
                return sample.flipped ? window.flippedHorizontally() : window
            }
            let background = windows[mask.backgroundFrame]
            for t in 0..<8 {
                for y in 0..<16 {
                    for x in 0..<16 {
                        let inBox = x >= mask.x && x < mask.x + mask.width && y >= mask.y && y < mask.y + mask.height
                        let expected = inBox ? windows[t].pixel(x: x, y: y) : background.pixel(x: x, y: y)
                        if clip[t].pixel(x: x, y: y) != expected {
                            Issue.record("\(sample.speed) frame \(t) pixel (\(x), \(y)) in box \(inBox)")
                            return
                        }
                    }
                }
            }
            // The moving box really moves: inside it, content follows the window by its offset.
            if sample.speed.x != 0, mask.width > 0 {
                let first = texturePosition(clip[0], x: mask.x, y: mask.y), last = texturePosition(clip[7], x: mask.x, y: mask.y)
                let travelled = sample.windowOffsets[7].x - sample.windowOffsets[0].x
                #expect(abs(last.x - first.x) == abs(travelled) && travelled != 0)
                checkedMotion = true
            }
        }
    }
    #expect(checkedMotion)
}

/// With frame-wise colour jitter the static area is still exactly static (jitter before the mask),
/// and every frame is its window with that frame's colour operations.
@Test(arguments: [MoSIFlipPolicy.none, .officialNoSwap])
func colorJitterIsPerFrameAndTheBackgroundStaysStatic(flip: MoSIFlipPolicy) throws {
    let source = texture(width: 60, height: 48)
    let sampler = try MoSISampler(smallConfig(mask: .fixedRatio(0.5), color: .paper, flip: flip))
    var generator = Seeded(seed: 14)
    let group = sampler.sampleGroup(sourceWidth: 60, sourceHeight: 48, using: &generator)
    let clips = try MoSIRenderer.render(group, source: source)
    for (sample, clip) in zip(group.samples, clips) {
        let mask = try #require(sample.mask)
        let q = mask.backgroundFrame
        let offsets = sample.windowOffsets
        for t in 0..<8 {
            let window = Image(width: 16, height: 16, format: .rgb,
                pixels: windowBytes(source, x: sample.squareX + offsets[t].x, y: sample.squareY + offsets[t].y, side: 16))
            // The official order: colour, then flip, then the mask.
            let colored = window.adjusted(sample.color.map { $0.adjustment(frame: t) })
            let jittered = sample.flipped ? colored.flippedHorizontally() : colored
            #expect(boxBytes(clip[t], x: mask.x, y: mask.y, width: 8, height: 8) == boxBytes(jittered, x: mask.x, y: mask.y, width: 8, height: 8))
            for y in [0, 15] where y < mask.y || y >= mask.y + 8 {
                #expect(boxBytes(clip[t], x: 0, y: y, width: 16, height: 1) == boxBytes(clip[q], x: 0, y: y, width: 16, height: 1))
            }
        }
    }
}

@Test func renderingIsDeterministic() throws {
    let source = texture(width: 70, height: 50)
    let sampler = try MoSISampler(smallConfig(mask: .randomRatio(0.3...0.5), color: .paper, flip: .flipWithLabelSwap))
    var a = Seeded(seed: 15, index: 2), b = Seeded(seed: 15, index: 2)
    let groupA = sampler.sampleGroup(sourceWidth: 70, sourceHeight: 50, using: &a)
    let groupB = sampler.sampleGroup(sourceWidth: 70, sourceHeight: 50, using: &b)
    #expect(groupA == groupB)
    #expect(try MoSIRenderer.render(groupA, source: source) == MoSIRenderer.render(groupB, source: source))
}

@Test func renderingRejectsAMismatchedImage() throws {
    let sampler = try MoSISampler(smallConfig())
    var generator = Seeded(seed: 16)
    let sample = sampler.sample(label: 0, sourceWidth: 64, sourceHeight: 48, using: &generator)
    #expect(throws: MoSIError.self) { try MoSIRenderer.render(sample, standardized: texture(width: 50, height: 48)) }
    // Hand-made samples that point outside their images are refused, not rendered.
    func handMade(squareX: Int = 0, mask: MoSIMask? = nil, color: [MoSIColorStep] = []) -> MoSISample {
        MoSISample(label: 0, speed: .still, frameCount: 4, cropSize: 8, standardSize: 16, resizedWidth: 20, resizedHeight: 16,
            squareX: squareX, squareY: 0, startX: 0, startY: 0, distanceX: 0, distanceY: 0, color: color, mask: mask)
    }
    let image = texture(width: 20, height: 16)
    #expect(try MoSIRenderer.render(handMade(), standardized: image).count == 4)
    #expect(throws: MoSIError.self) { try MoSIRenderer.render(handMade(squareX: 5), standardized: image) }
    #expect(throws: MoSIError.self) {
        try MoSIRenderer.render(handMade(mask: MoSIMask(x: 6, y: 0, width: 4, height: 4, backgroundFrame: 0)), standardized: image)
    }
    #expect(throws: MoSIError.self) {
        try MoSIRenderer.render(handMade(mask: MoSIMask(x: 0, y: 0, width: 4, height: 4, backgroundFrame: 4)), standardized: image)
    }
    #expect(throws: MoSIError.self) { try MoSIRenderer.render(handMade(color: [.hue([0.1, 0.2])]), standardized: image) }
    // Gray and differently sized sources are converted and resized.
    let gray = try texture(width: 128, height: 96).converted(to: .gray)
    let clip = try MoSIRenderer.render(sample, source: gray)
    #expect(clip.count == 8 && clip.allSatisfy { $0.format == .rgb && $0.width == 16 })
}
