import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaVideo
import Testing

// KinemaMediaTestSupport has a generator of the same name; these tests use the library's.
private typealias SeededGenerator = KinemaData.SeededGenerator

/// The frame-order and single-frame controls on clip index lists, then on a real video's frames.
@Suite struct ClipControlTests {
    private let clip = [3, 5, 7, 9, 11, 13, 15, 17]

    @Test func reversedIsLastFirstAndTwiceIsNatural() {
        var generator = SeededGenerator(seed: 0)
        let reversed = FrameOrder.reversed.apply(to: clip, using: &generator)
        #expect(reversed == [17, 15, 13, 11, 9, 7, 5, 3])
        #expect(FrameOrder.reversed.apply(to: reversed, using: &generator) == clip)
        #expect(FrameOrder.natural.apply(to: clip, using: &generator) == clip)
    }

    @Test func onlyShuffledDrawsFromTheGenerator() {
        // A natural (or reversed) run's random stream, hence its augmentation, is unchanged.
        for order in FrameOrder.allCases {
            var used = SeededGenerator(seed: 4, index: 2)
            var untouched = used
            _ = order.apply(to: clip, using: &used)
            #expect((used.next() == untouched.next()) == (order != .shuffled), "\(order)")
        }
    }

    @Test func shuffledTrainingClipsArePermutationsSeededPerClip() {
        let control = ClipControl(frameOrder: .shuffled)
        let clips = (0..<20).map { index in
            var generator = SeededGenerator(seed: 7, index: index)
            return control.trainingFrames(clip, using: &generator)
        }
        #expect(clips.allSatisfy { $0.sorted() == clip }, "every clip is a permutation of the sampled frames")
        #expect(Set(clips).count == 20, "each clip draws its own order (8! = 40320 of them)")
        var again = SeededGenerator(seed: 7, index: 3)
        #expect(control.trainingFrames(clip, using: &again) == clips[3], "the same seed and index, the same order")
    }

    @Test func shuffledPermutationsAreUniform() {
        // 6000 shuffles of 3 frames: each of the 3! orders is Binomial(6000, 1/6), mean 1000 and
        // standard deviation √(6000 · 1/6 · 5/6) = 28.9; 5 σ = 144 is never reached by chance.
        var counts: [[Int]: Int] = [:]
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<6000 { counts[FrameOrder.shuffled.apply(to: [0, 1, 2], using: &generator), default: 0] += 1 }
        #expect(counts.count == 6)
        #expect(counts.values.allSatisfy { abs($0 - 1000) < 144 }, "\(counts)")
    }

    @Test func shuffledTestClipsAreFixedPerVideoAndClip() {
        let control = ClipControl(frameOrder: .shuffled)
        let a = control.testFrames(clip, video: "v_MoveLeft_g01_c01.avi", clip: 0)
        #expect(a.sorted() == clip && a != clip)
        #expect(control.testFrames(clip, video: "v_MoveLeft_g01_c01.avi", clip: 0) == a, "every evaluation sees the same order")
        let others = (1..<10).map { control.testFrames(clip, video: "v_MoveLeft_g02_c0\($0).avi", clip: 0) }
            + (1..<10).map { control.testFrames(clip, video: "v_MoveLeft_g01_c01.avi", clip: $0) }
        #expect(Set(others + [a]).count == 19, "other videos and other clips of a video get other orders")
        #expect(ClipControl(frameOrder: .reversed).testFrames(clip, video: "x.avi", clip: 3) == clip.reversed())
    }

    @Test func singleFrameClipsRepeatOneFrameOfTheClip() {
        let control = ClipControl(singleFrame: true)
        #expect(control.testFrames(clip, video: "x.avi", clip: 0) == Array(repeating: 11, count: 8), "the centre frame, index T/2")
        #expect(control.testFrames([4, 6, 8], video: "x.avi", clip: 0) == [6, 6, 6])
        var generator = SeededGenerator(seed: 3)
        let picks = (0..<64).map { _ in control.trainingFrames(clip, using: &generator) }
        #expect(picks.allSatisfy { $0.count == 8 && Set($0).count == 1 && clip.contains($0[0]) })
        #expect(Set(picks.map { $0[0] }).count == 8, "64 draws reach every frame of the clip")
        #expect(control.trainingFrames([], using: &generator).isEmpty)
    }

    @Test func aSingleFrameWithAnOrderIsRejected() {
        let error = #expect(throws: DatasetError.self) { try ClipControl(frameOrder: .shuffled, singleFrame: true).validate() }
        #expect(error?.description.contains("frameOrder must be natural") == true)
        #expect(throws: Never.self) { try ClipControl(singleFrame: true).validate() }
    }

    @Test func controlsReachTheDecodedFramesOfARealVideo() throws {
        let item = VideoItem(url: try TestData.url("videos/carphone.mp4"), label: 0)
        func loader(_ control: ClipControl) throws -> VideoClipLoader {
            try VideoClipLoader(
                sampling: ClipSampling(frames: 6, stride: 3), trainingSize: .shortSide(64),
                augmentation: ClipAugmentation(
                    cropSize: 48, crop: RandomResizedCrop(scale: 0.3...0.8), flipProbability: 0.5, colorJitter: .mosiFineTune),
                testViews: TestViews(clips: 2, crops: 1, shortSide: 64, cropSize: 48), control: control)
        }
        let natural = try loader(.none).testClips(item)
        #expect(try loader(ClipControl(frameOrder: .reversed)).testClips(item) == natural.map { $0.reversed() })
        let single = try loader(ClipControl(singleFrame: true))
        #expect(try single.testClips(item) == natural.map { Array(repeating: $0[3], count: 6) })
        var generator = SeededGenerator(seed: 5, index: 1)
        let frames = try single.trainingClip(item, using: &generator)
        #expect(frames.count == 6 && frames.allSatisfy { $0 == frames[0] }, "crop and colour jitter are the same for every frame")
    }
}
