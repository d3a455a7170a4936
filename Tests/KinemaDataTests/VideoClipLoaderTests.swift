import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaTensor
import KinemaVideo
import Testing

// KinemaMediaTestSupport has a generator of the same name; these tests use the library's.
private typealias SeededGenerator = KinemaData.SeededGenerator

@Suite struct VideoClipLoaderTests {
    private let sampling = ClipSampling(frames: 8, stride: 2)
    private let augmentation = ClipAugmentation(
        cropSize: 56, crop: RandomResizedCrop(scale: 0.3...0.8), flipProbability: 0.5, colorJitter: .mosiFineTune)
    private let views = TestViews(clips: 2, crops: 3, shortSide: 64, cropSize: 56)

    private func loader() throws -> VideoClipLoader {
        try VideoClipLoader(
            sampling: sampling, trainingSize: .shortSide(64), augmentation: augmentation, testViews: views)
    }

    @Test func trainingClipFromARealVideoIsSeededAndBecomesCTHW() throws {
        let item = VideoItem(url: try TestData.url("videos/carphone.mp4"), label: 3)
        var a = SeededGenerator(seed: 1, index: 7)
        var b = SeededGenerator(seed: 1, index: 7)
        var c = SeededGenerator(seed: 1, index: 8)
        let clip = try loader().trainingClip(item, using: &a)
        #expect(clip.count == 8 && clip.allSatisfy { $0.width == 56 && $0.height == 56 && $0.format == .rgb })
        #expect(try loader().trainingClip(item, using: &b) == clip)
        #expect(try loader().trainingClip(item, using: &c) != clip)

        let x = ClipTensor.clip(clip, .kinetics)
        #expect(x.shape == [3, 8, 56, 56] && x.dtype == .float32)
        // Channel 1 of frame 5 at (x 7, y 3): (byte / 255 − 0.45) / 0.225.
        let byte = clip[5].pixel(x: 7, y: 3)[1]
        let value: Float = x[1, 5, 3, 7]
        #expect(abs(value - (Float(byte) / 255 - 0.45) / 0.225) < 1e-5)
    }

    /// A portion of the video: carphone.mp4's 120 frames cut to 0.8..<1 are frames 96…119; the
    /// test clips spread over those 24 frames and training clips stay in 0..<0.8.
    @Test func portionsKeepClipsInsideTheirPartOfTheVideo() throws {
        let url = try TestData.url("videos/carphone.mp4")
        let reader = try VideoReader(url, size: .shortSide(64))
        let frames = try reader.frames(at: Array(0..<120))
        let tail = try loader().testClips(VideoItem(url: url, label: 0), portion: 0.8..<1)
        for (k, indices) in sampling.testClips(2, frameCount: 24).enumerated() {
            let box = CropBox(x: 11, y: 4, width: 56, height: 56)  // the centre crop of 78 × 64
            let expected = try ClipTransform(crop: box, outputSize: 56).apply(to: indices.map { frames[96 + $0] })
            #expect(tail[3 * k + 1] == expected, "tail clip \(k)")
        }
        // Training clips of the first 80 % (96 frames) start no later than 96 − 15 = 81.
        var generator = SeededGenerator(seed: 4)
        let head = try loader().trainingFrames(VideoItem(url: url, label: 0), portion: 0..<0.8, using: &generator)
        let starts = Set(frames.indices.filter { frames[$0] == head[0] })
        #expect(!starts.isEmpty && starts.allSatisfy { $0 <= 81 })
    }

    /// The full-rate span holds the sampled clip at multiples of the stride, and repeats the last
    /// frame of a short video (g1.avi decodes 16 frames).
    @Test func aTrainingSpanHoldsItsClipAtTheStride() throws {
        let item = VideoItem(url: try TestData.url("videos/carphone.mp4"), label: 0)
        var (a, b) = (SeededGenerator(seed: 2, index: 5), SeededGenerator(seed: 2, index: 5))
        let span = try loader().trainingSpan(item, count: 20, using: &a)
        let clip = try loader().trainingFrames(item, using: &b)
        #expect(span.count == 20 && (0..<8).allSatisfy { span[2 * $0] == clip[$0] })
        #expect(span[1] != span[0] && span[1] != span[2], "the frames between the sampled ones")

        let short = VideoItem(url: try TestData.url("videos/g1.avi"), label: 0)
        var c = SeededGenerator(seed: 2)
        let padded = try loader().trainingSpan(short, count: 30, using: &c)
        // The clip (span 15) starts at frame 0 or 1: the last frame, 15, is reached by index 15 at the latest.
        #expect(padded.count == 30 && padded[15...].allSatisfy { $0 == padded[29] } && padded[13] != padded[14])
    }

    @Test func repeatedAugmentationAugmentsOneSampledClipKTimes() throws {
        let item = VideoItem(url: try TestData.url("videos/carphone.mp4"), label: 3)
        // The first of k clips is the clip k = 1 gives: the frames come first, then each augmentation.
        var a = SeededGenerator(seed: 2, index: 5)
        var b = SeededGenerator(seed: 2, index: 5)
        let clips = try loader().trainingClips(item, count: 3, using: &a)
        let single = try loader().trainingClip(item, using: &b)
        #expect(clips.count == 3 && clips[0] == single)
        #expect(clips[1] != clips[0] && clips[2] != clips[1], "each clip has its own augmentation")
        // Without spatial randomness the k clips are equal: they share the sampled frames (120 frames,
        // a 15-frame span: separate temporal draws would differ).
        let fixed = try VideoClipLoader(
            sampling: sampling, trainingSize: .shortSide(64),
            augmentation: ClipAugmentation(cropSize: 56, crop: RandomResizedCrop(scale: 1...1, ratio: 1...1), flipProbability: 0),
            testViews: views)
        for seed in 0..<4 {
            var generator = SeededGenerator(seed: UInt64(seed))
            let same = try fixed.trainingClips(item, count: 2, using: &generator)
            #expect(same[0] == same[1], "seed \(seed)")
        }
    }

    @Test func testViewsAreTheSampledFramesCroppedAtTheThreePositions() throws {
        let url = try TestData.url("videos/carphone.mp4")
        let viewClips = try loader().testClips(VideoItem(url: url, label: 0))
        #expect(viewClips.count == 6)
        // Independently: decode at short side 64 (176 × 144 → 78 × 64), take test clip k of the
        // 120-frame video, cut crop m by hand.
        let reader = try VideoReader(url, size: .shortSide(64))
        #expect((reader.outputWidth, reader.outputHeight) == (78, 64))
        for (k, m) in [(0, 0), (1, 2), (1, 1)] {
            let indices = sampling.testClip(k, of: 2, frameCount: 120)
            let xOffset = [0, 11, 22][m]  // m · (78 − 56) / 2
            let expected = try reader.frames(at: indices).map {
                try $0.cropped(x: xOffset, y: 4, width: 56, height: 56)
            }
            #expect(viewClips[k * 3 + m] == expected, "clip \(k) crop \(m)")
        }
    }

    @Test func shortVideosAndOverDeclaredStreamsStillGiveFullClips() throws {
        // g1.avi decodes 16 frames: a 8 × stride 4 clip (span 29) repeats its last frame.
        let short = VideoItem(url: try TestData.url("videos/g1.avi"), label: 0)
        let long = try VideoClipLoader(
            sampling: ClipSampling(frames: 8, stride: 4), trainingSize: .shortSide(64), augmentation: augmentation,
            testViews: views)
        let clips = try long.testClips(short)
        #expect(clips.count == 6 && clips.allSatisfy { $0.count == 8 })
        #expect(clips[0][4] == clips[0][7])
        // The VP9 clip declares 300 frames but decodes 295: the last test clip is re-sampled.
        let vp9 = VideoItem(url: try TestData.url("videos/balle1-vp9.avi"), label: 0)
        let even = try VideoClipLoader(
            sampling: ClipSampling(frames: 4, stride: 1, testPlacement: .evenlySpaced), trainingSize: .shortSide(64),
            augmentation: augmentation, testViews: TestViews(clips: 2, crops: 1, shortSide: 64, cropSize: 56))
        #expect(try even.testClips(vp9).map(\.count) == [4, 4])
    }

    @Test func frameFoldersDecodeLikeVideos() throws {
        let folder = TemporaryFolder()
        let photo = try TestData.photo("astronaut", width: 80, height: 64)
        for t in 0..<6 {
            try photo.adjusted([.brightness(0.5 + 0.1 * Float(t))]).write(to: folder.file("img_\(t + 1).png"))
        }
        let item = VideoItem(url: folder.url, label: 1, isFrameFolder: true)
        var generator = SeededGenerator(seed: 3)
        let clip = try loader().trainingClip(item, using: &generator)
        #expect(clip.count == 8 && clip[0].width == 56)
        #expect(throws: VideoError.self) {
            try loader().testClips(VideoItem(url: folder.file("missing.mp4"), label: 0))
        }
    }
}
