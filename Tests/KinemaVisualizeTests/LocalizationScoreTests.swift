import Foundation
import KinemaVideo
import Testing

@testable import KinemaVisualize

/// Region-image pixels wholly moving, wholly still, wholly background.
private let (M, S, B): ((UInt8, UInt8, UInt8), (UInt8, UInt8, UInt8), (UInt8, UInt8, UInt8)) = ((255, 0, 0), (0, 255, 0), (0, 0, 255))

/// Region images of `frames` frames of `width × height` from per-pixel (red, green, blue) shares.
private func regions(width: Int, height: Int, _ shares: [[(UInt8, UInt8, UInt8)]]) throws -> LocalizationRegions {
    try LocalizationRegions(images: shares.map { frame in
        Image(width: width, height: height, format: .rgb, pixels: frame.flatMap { [$0.0, $0.1, $0.2] })
    })
}

struct LocalizationScoreTests {
    /// Two 4 × 2 frames: moving object on pixels 0–2 of frame 0 and pixel 5 of frame 1, a still
    /// object on pixels 6–7 of frame 0; the rest background. Areas by hand: 4/16, 2/16, 10/16.
    var hard: LocalizationRegions {
        get throws { try regions(width: 4, height: 2, [[M, M, M, B, B, B, S, S], [B, B, B, B, B, M, B, B]]) }
    }

    @Test func aMapOnTheMovingObjectOnlyPutsAllItsMassThere() throws {
        let map: [Float] = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]
        let score = try #require(try LocalizationScore(map: map, regions: hard))
        #expect(score.movingMass == 1 && score.stillMass == 0 && score.backgroundMass == 0)
        #expect(score.movingArea == 4.0 / 16 && score.stillArea == 2.0 / 16 && score.backgroundArea == 10.0 / 16)
        #expect(score.pointing == 1)
    }

    @Test func aUniformMapScoresMassEqualToArea() throws {
        let score = try #require(try LocalizationScore(map: Array(repeating: 0.3, count: 16), regions: hard))
        // Sums of 16 floats near 0.3: relative error a few float32 ulps.
        let tolerance = 16 * Double(Float.ulpOfOne)
        #expect(abs(score.movingMass - 4.0 / 16) < tolerance)
        #expect(abs(score.stillMass - 2.0 / 16) < tolerance)
        #expect(abs(score.backgroundMass - 10.0 / 16) < tolerance)
        // A flat frame peaks at its first pixel: on the object in frame 0, on background in frame 1.
        #expect(score.pointing == 0.5)
    }

    @Test func softEdgesShareAPixelByCoverage() throws {
        // One 2 × 2 frame: pixel 0 moving, pixel 1 one-fifth moving (51/255) and four-fifths
        // background, pixel 2 still, pixel 3 background. Map [3, 1, 2, 2], sum 8:
        // moving (3 + 0.2) / 8 = 0.4, still 2 / 8 = 0.25, background (0.8 + 2) / 8 = 0.35.
        let soft = try regions(width: 2, height: 2, [[M, (51, 0, 204), S, B]])
        let score = try #require(try LocalizationScore(map: [3, 1, 2, 2], regions: soft))
        let tolerance = 8 * Double(Float.ulpOfOne)
        #expect(abs(score.movingMass - 0.4) < tolerance && abs(score.stillMass - 0.25) < tolerance)
        #expect(abs(score.backgroundMass - 0.35) < tolerance)
        #expect(abs(score.movingArea - 1.2 / 4) < tolerance && score.stillArea == 0.25)
        #expect(score.pointing == 1)
    }

    @Test func pointingMissesWhenTheMapPeaksOffTheObjectOrIsEmpty() throws {
        // Frame 0 peaks on the still object, frame 1 is all zero (no peak: a miss).
        var map = [Float](repeating: 0, count: 16)
        map[6] = 2
        map[1] = 1
        let score = try #require(try LocalizationScore(map: map, regions: hard))
        #expect(score.pointing == 0)
        #expect(abs(score.stillMass - 2.0 / 3) < 1e-12 && abs(score.movingMass - 1.0 / 3) < 1e-12)
        #expect(try LocalizationScore(map: Array(repeating: 0, count: 16), regions: hard) == nil)
    }

    @Test func aMapOfAnotherSizeIsAnError() throws {
        #expect(throws: VisualizeError.self) { try LocalizationScore(map: [1, 2, 3], regions: hard) }
    }
}

struct LocalizationInputTests {
    @Test func frameIndicesSpanTheVideoAtTheLargestStrideThatFits() throws {
        #expect(try GradCAMLocalization.frameIndices(videoFrames: 16, clipFrames: 8) == [0, 2, 4, 6, 8, 10, 12, 14])
        #expect(try GradCAMLocalization.frameIndices(videoFrames: 16, clipFrames: 16) == Array(0..<16))
        #expect(try GradCAMLocalization.frameIndices(videoFrames: 16, clipFrames: 4, stride: 1) == [0, 1, 2, 3])
        #expect(throws: VisualizeError.self) { try GradCAMLocalization.frameIndices(videoFrames: 16, clipFrames: 32) }
        #expect(throws: VisualizeError.self) { try GradCAMLocalization.frameIndices(videoFrames: 16, clipFrames: 8, stride: 3) }
    }

    /// White discs on black whose centre moves 5 px a frame, and their regions (red = the disc's
    /// coverage, blue the rest): after `prepare` shrinks both (area averaging) and picks frames,
    /// each frame's grey level must still be its region's moving share, pixel for pixel.
    @Test func regionsAreResizedAndSampledExactlyAsTheFrames() throws {
        let side = 112
        var frames: [Image] = [], regionImages: [Image] = []
        for t in 0..<6 {
            var grey = [UInt8](repeating: 0, count: side * side * 3), region = grey
            for y in 0..<side {
                for x in 0..<side {
                    let (dx, dy) = (Double(x) - 30 - 5 * Double(t), Double(y) - 50)
                    // 2 × 2 supersampled coverage: anti-aliased edges, shares between 0 and 1.
                    let inside = [(-0.25, -0.25), (0.25, -0.25), (-0.25, 0.25), (0.25, 0.25)].filter { o in
                        (dx + o.0) * (dx + o.0) + (dy + o.1) * (dy + o.1) <= 20 * 20
                    }.count
                    let value = UInt8(inside * 255 / 4)
                    let i = (y * side + x) * 3
                    (grey[i], grey[i + 1], grey[i + 2]) = (value, value, value)
                    (region[i], region[i + 2]) = (value, 255 - value)
                }
            }
            frames.append(Image(width: side, height: side, format: .rgb, pixels: grey))
            regionImages.append(Image(width: side, height: side, format: .rgb, pixels: region))
        }
        let clip = try GradCAMLocalization.prepare(frames: frames, regionImages: regionImages, indices: [1, 3, 5], size: 64)
        #expect(clip.frames.count == 3 && clip.regions.frames == 3 && clip.regions.width == 64 && clip.regions.height == 64)
        var largest: Float = 0
        for (t, frame) in clip.frames.enumerated() {
            for p in 0..<(64 * 64) {
                largest = max(largest, abs(Float(frame.pixels[p * 3]) / 255 - clip.regions.moving[t * 64 * 64 + p]))
            }
        }
        // Red and grey go through the same resize, so they agree exactly; the moving share divides by
        // red + blue, which rounding after the resize can move by 1 from 255.
        #expect(largest <= 1.0 / 255 + 1e-6)
        // The discs moved: sampling frames 1, 3, 5 must have kept 3 different positions.
        #expect(clip.frames[0] != clip.frames[1] && clip.frames[1] != clip.frames[2])
    }
}

struct BootstrapIntervalTests {
    @Test func constantValuesHaveAPointInterval() throws {
        let interval = try #require(BootstrapInterval(of: [0.25, 0.25, 0.25]))
        #expect(interval.mean == 0.25 && interval.low == 0.25 && interval.high == 0.25)
    }

    @Test func twoValuesSpanTheirRange() throws {
        // The mean of 2 values resampled is 0 or 1 with probability 1/4 each (≫ 2.5 %): the 95 %
        // interval is [0, 1]; the mean is 0.5. The same seed gives the same interval.
        let interval = try #require(BootstrapInterval(of: [0, 1], seed: 7))
        #expect(interval.mean == 0.5 && interval.low == 0 && interval.high == 1)
        #expect(BootstrapInterval(of: [0, 1], seed: 7) == interval)
        #expect(BootstrapInterval(of: []) == nil)
    }
}
