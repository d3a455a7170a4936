import KinemaData
import Testing

// Expected indices worked out by hand (exact strides) or with exact fractions from the formulas of
// docs/reference-implementations.md §1.9/§3.9 (TAdaConv: span = T·s·fps/30,
// linspace(start, start + span − 1, T)).

@Suite struct ClipSamplingTests {
    let exact = ClipSampling(frames: 4, stride: 2, targetFPS: nil, testPlacement: .tadaconv)

    @Test func exactStrideTestClips() {
        // 20 frames, span 7, room 13.
        #expect(exact.testClips(1, frameCount: 20) == [[6, 8, 10, 12]])  // room / 2 = 6.5 → 6
        #expect(exact.testClips(3, frameCount: 20) == [[0, 2, 4, 6], [4, 6, 8, 10], [8, 10, 12, 14]])  // 13·k/3
        var even = exact
        even.testPlacement = .evenlySpaced
        #expect(even.testClips(3, frameCount: 20) == [[0, 2, 4, 6], [6, 8, 10, 12], [13, 15, 17, 19]])  // 13·k/2
    }

    @Test func shortVideosRepeatTheirLastFrame() {
        #expect(exact.testClips(2, frameCount: 5) == [[0, 2, 4, 4], [0, 2, 4, 4]])
        var generator = SeededGenerator(seed: 1)
        #expect(exact.trainingClip(frameCount: 5, using: &generator) == [0, 2, 4, 4])
        #expect(exact.trainingClip(frameCount: 1, using: &generator) == [0, 0, 0, 0])
        #expect(exact.trainingClip(frameCount: 0, using: &generator).isEmpty)
    }

    @Test func tadaconvIntervalSampling() {
        let mosi = ClipSampling.mosi
        // 30 fps, 100 frames: span 64, room 36.
        #expect(mosi.span(videoFPS: 30) == 64)
        #expect(
            mosi.testClip(0, of: 1, frameCount: 100, videoFPS: 30) == [
                18, 22, 26, 30, 34, 39, 43, 47, 51, 55, 60, 64, 68, 72, 76, 81,
            ])
        #expect(
            mosi.testClip(3, of: 10, frameCount: 100, videoFPS: 30) == [
                10, 15, 19, 23, 27, 31, 36, 40, 44, 48, 52, 57, 61, 65, 69, 73,
            ])
        // 25 fps: the clip spans 64 · 25/30 = 53⅓ source frames, the same 2.13 s.
        #expect(
            mosi.testClip(0, of: 10, frameCount: 50, videoFPS: 25) == [
                0, 3, 6, 10, 13, 17, 20, 24, 27, 31, 34, 38, 41, 45, 48, 49,
            ])
        #expect(
            mosi.testClip(7, of: 10, frameCount: 200, videoFPS: 25) == [
                102, 106, 109, 113, 116, 120, 123, 127, 130, 134, 137, 141, 144, 148, 151, 155,
            ])
        // An unknown frame rate counts as the target rate.
        #expect(mosi.span(videoFPS: 0) == 64)
    }

    @Test func trainingClipsAreSeededAndCoverEveryStart() {
        var seen = Set<Int>()
        for seed in 0..<400 {
            var a = SeededGenerator(seed: 9, index: seed)
            var b = SeededGenerator(seed: 9, index: seed)
            let clip = exact.trainingClip(frameCount: 20, using: &a)
            #expect(clip == exact.trainingClip(frameCount: 20, using: &b))
            #expect(clip.count == 4 && zip(clip, clip.dropFirst()).allSatisfy { $1 - $0 == 2 } && clip.last! < 20)
            seen.insert(clip[0])
        }
        #expect(seen == Set(0...13))

        // TAdaConv's starts are real numbers in [0, room]; the spacing follows linspace.
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<100 {
            let clip = ClipSampling.mosi.trainingClip(frameCount: 100, videoFPS: 30, using: &generator)
            #expect(clip.count == 16 && clip[0] >= 0 && clip[0] <= 36 && clip[15] - clip[0] >= 62 && clip[15] < 100)
        }
    }

    @Test func badSettingsAreErrors() {
        #expect(throws: DatasetError.self) { try ClipSampling(frames: 0).validate() }
        #expect(throws: DatasetError.self) { try ClipSampling(stride: 0).validate() }
        #expect(throws: DatasetError.self) { try ClipSampling(targetFPS: 0).validate() }
    }
}

@Suite struct TestViewTests {
    @Test func threeCropsAlongTheLongSide() throws {
        let views = TestViews(clips: 10, crops: 3, shortSide: 128, cropSize: 112)
        #expect(views.count == 30)
        // Landscape 171 × 128: left / centre / right at 0, 59/2, 59, centred vertically at 8.
        #expect(
            try views.cropBoxes(width: 171, height: 128).map { [$0.x, $0.y, $0.width, $0.height] } == [
                [0, 8, 112, 112], [29, 8, 112, 112], [59, 8, 112, 112],
            ])
        // Portrait: top / centre / bottom.
        #expect(try views.cropBoxes(width: 128, height: 171).map { [$0.x, $0.y] } == [[8, 0], [8, 29], [8, 59]])
        let one = TestViews(clips: 1, crops: 1, shortSide: 128, cropSize: 112)
        #expect(try one.cropBoxes(width: 171, height: 128) == [CropBox(x: 29, y: 8, width: 112, height: 112)])
        #expect(throws: DatasetError.self) { try views.cropBoxes(width: 100, height: 128) }
        #expect(throws: DatasetError.self) {
            try TestViews(clips: 1, crops: 1, shortSide: 100, cropSize: 112).validate()
        }
    }
}
