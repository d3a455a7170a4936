import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaTestSupport
import KinemaVideo
import Testing

@testable import KinemaVisualize

@Suite struct GradCAMVideoTests {
    let folder = TemporaryFolder()

    @Test func clipStartsCoverTheVideo() {
        #expect(GradCAMVideo.clipStarts(frameCount: 10, clipLength: 4, stride: 3) == [0, 3, 6])
        #expect(GradCAMVideo.clipStarts(frameCount: 10, clipLength: 4, stride: 4) == [0, 4, 6])
        #expect(GradCAMVideo.clipStarts(frameCount: 8, clipLength: 8, stride: 4) == [0])
        #expect(GradCAMVideo.clipStarts(frameCount: 3, clipLength: 8, stride: 4) == [0])
    }

    /// Frame maps are the clips' maps, averaged where clips overlap: clips of 4 at stride 2 over 8
    /// frames start at 0, 2, 4; frames 2–5 are each covered by two of them.
    @Test func frameMapsAverageOverlappingClips() throws {
        let model = try tinyBackbone(dtype: .float32)
        let photo = try TestData.photo("coffee", width: 96, height: 64)
        let frames = try (0..<8).map { t in
            try photo.warpedPerspective(by: KnownMotion.translation(Double(-3 * t), 0), width: 48, height: 32)
        }
        func clipMaps(_ start: Int) throws -> [[Float]] {
            let clip = ClipTensor.batch([Array(frames[start..<(start + 4)])], .kinetics)
            return try GradCAM.compute(model, clip: clip).heatMaps(clip: 0).map(\.values)
        }
        let (c0, c2, c4) = (try clipMaps(0), try clipMaps(2), try clipMaps(4))
        let expected: [[Float]] = [
            c0[0], c0[1], mean(c0[2], c2[0]), mean(c0[3], c2[1]), mean(c2[2], c4[0]), mean(c2[3], c4[1]), c4[2], c4[3],
        ]
        let (maps, classes) = try GradCAMVideo.frameMaps(
            model, frames, statistics: InputStatistics(.kinetics), stage: nil, clipLength: 4, stride: 2, targetClass: nil)
        #expect(classes.count == 3)
        for t in 0..<8 {
            expectClose(
                Tensor(maps[t].values), Tensor(expected[t]), rtol: 1e-5, atol: 1e-6, "frame \(t)")
        }
    }

    private func mean(_ a: [Float], _ b: [Float]) -> [Float] { zip(a, b).map { ($0 + $1) / 2 } }

    @Test func rendersAnAnimationAndAGridFromARealVideo() throws {
        let model = try tinyBackbone(dtype: .float32)
        let video = try TestData.url("videos/bikes.mp4")
        let width = try VideoReader(video, size: .shortSide(64)).outputWidth
        let output = folder.url.appendingPathComponent("run/viz")
        let out = try GradCAMVideo.render(
            backbone: model, statistics: InputStatistics(.kinetics), video: video, clipLength: 8, size: 64, stride: 4, output: output, withFlow: true,
            maxFrames: 20)
        #expect(out.frameCount == 20)
        #expect(out.clipClasses.count == 4)  // clips at 0, 4, 8, 12
        #expect(out.animation.lastPathComponent == "gradcam.mp4" && out.grid.lastPathComponent == "gradcam-grid.png")
        // FFmpeg decodes the animation back: [frame | overlay | flow] with 2-pixel gaps, padded to
        // even sides for 4:2:0 video.
        let animation = try VideoReader(out.animation)
        #expect(animation.metadata.width == 3 * width + 4 + (3 * width + 4) % 2)
        #expect(animation.metadata.height == 64)
        let frames = try animation.remainingFrames()
        #expect(frames.count == 20)
        // The overlay panel is the frame tinted by the map; the flow panel is pure colour-map colour.
        let first = frames[0]
        let original = try first.cropped(x: 0, y: 0, width: width, height: 64)
        let overlay = try first.cropped(x: width + 2, y: 0, width: width, height: 64)
        #expect(meanAbsoluteDifference(original, overlay) > 10)
        // The grid: 8 columns of frames, rows frames / overlay / flow.
        let grid = try Image(contentsOf: out.grid)
        #expect(grid.width == 8 * width + 7 * 2 && grid.height == 3 * 64 + 2 * 2)

        let gif = try GradCAMVideo.render(
            backbone: model, statistics: InputStatistics(.kinetics), video: video, clipLength: 8, size: 32, output: output, format: .gif, maxFrames: 6,
            style: .init(colorMap: .turbo, alpha: 0.6, gridColumns: 3))
        #expect(gif.animation.lastPathComponent == "gradcam.gif" && gif.clipClasses.count == 1)
        #expect(try VideoReader(gif.animation).remainingFrames().count == 6)
        let small = try Image(contentsOf: gif.grid)
        let smallWidth = try VideoReader(video, size: .shortSide(32)).outputWidth
        #expect(small.height == 2 * 32 + 2 && small.width == 3 * smallWidth + 2 * 2)
    }

    /// A vision transformer sees the middle square of each frame: the only grid its position
    /// table was trained on.
    @Test func aVisionTransformerIsExplainedOnTheMiddleSquare() throws {
        let model = try tinyBackbone(.vitS16Tiny, dtype: .float32)
        let video = try TestData.url("videos/bikes.mp4")
        let out = try GradCAMVideo.render(
            backbone: model, statistics: InputStatistics(.imagenet), video: video, stage: 2, clipLength: 4, size: 32, square: true,
            output: folder.url, maxFrames: 6)
        let frames = try VideoReader(out.animation).remainingFrames()
        #expect(frames.count == 6 && frames[0].width == 2 * 32 + 2 && frames[0].height == 32, "[frame | overlay], 32² each")
        let decoded = try VideoReader(video, size: .shortSide(32)).next()!
        let middle = try decoded.cropped(x: (decoded.width - 32) / 2, y: 0, width: 32, height: 32)
        #expect(meanAbsoluteDifference(middle, try frames[0].cropped(x: 0, y: 0, width: 32, height: 32)) < 8, "the middle square, through H.264")
    }

    @Test func badRequestsThrowClearErrors() throws {
        let model = try tinyBackbone(dtype: .float32)
        let missing = folder.file("nothing.mp4")
        let error = try #require(throws: VisualizeError.self) {
            try GradCAMVideo.render(backbone: model, statistics: InputStatistics(.kinetics), video: missing, output: folder.url)
        }
        #expect(error.reason == .video(VideoError(missing, .missing)))
        let video = try TestData.url("videos/bikes.mp4")
        #expect(throws: VisualizeError.self) {
            try GradCAMVideo.render(backbone: model, statistics: InputStatistics(.kinetics), video: video, clipLength: 0, output: folder.url)
        }
        #expect(throws: VisualizeError.self) {
            try GradCAMVideo.render(backbone: model, statistics: InputStatistics(.kinetics), video: video, stage: 9, output: folder.url, maxFrames: 4)
        }
    }

    private func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
        Double(zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(a.pixels.count)
    }
}
