import KinemaMediaTestSupport
import KinemaVideo
import Testing

@Suite struct FrameSamplingTests {
    @Test func clipsPadShortVideosWithTheLastFrame() {
        #expect(FrameSampling.clip(start: 2, length: 4, stride: 3, frameCount: 100) == [2, 5, 8, 11])
        #expect(FrameSampling.clip(start: 0, length: 5, stride: 4, frameCount: 10) == [0, 4, 8, 9, 9])
        #expect(FrameSampling.clip(start: 0, length: 3, stride: 1, frameCount: 0) == [])
        #expect(FrameSampling.span(length: 16, stride: 4) == 61)
    }

    @Test func evenClipsMatchVideoMAETestSampling() {
        // start_k = k · (len − span) / (K − 1), integer division.
        let clips = FrameSampling.evenClips(count: 3, length: 2, stride: 2, frameCount: 11)
        #expect(clips == [[0, 2], [4, 6], [8, 10]])
    }

    @Test func segmentsCoverTheVideo() {
        #expect(FrameSampling.segmentCentres(4, frameCount: 100) == [12, 37, 62, 87])
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let picks = FrameSampling.randomSegments(4, frameCount: 100, using: &rng)
            for (s, p) in picks.enumerated() { #expect((25 * s)..<(25 * (s + 1)) ~= p) }
        }
        #expect(FrameSampling.uniform(5, frameCount: 9) == [0, 2, 4, 6, 8])
    }

    @Test func randomClipsFit() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<50 {
            let clip = FrameSampling.randomClip(length: 8, stride: 2, frameCount: 30, using: &rng)
            #expect(clip.count == 8 && clip.last! <= 29 && clip.last! - clip.first! == 14)
        }
    }

    @Test func frameSizes() throws {
        #expect(try FrameSize.shortSide(128).resolve(width: 640, height: 272) == (301, 128))
        #expect(try FrameSize.shortSide(128).resolve(width: 240, height: 320) == (128, 171))
        #expect(try FrameSize.native.resolve(width: 5, height: 7) == (5, 7))
        #expect(throws: VideoError.self) { try FrameSize.exactly(width: 0, height: 3).resolve(width: 5, height: 5) }
    }
}
