import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

@Suite struct WriterTests {
    let folder = TemporaryFolder()

    func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
        Double(zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(a.pixels.count)
    }

    /// Frames of a photo panning right by 4 px per frame.
    func panningFrames(_ count: Int) throws -> [Image] {
        let photo = try TestData.photo("coffee", width: 200, height: 133)
        return try (0..<count).map { try photo.warpedPerspective(by: KnownMotion.translation(Double(-4 * $0), 0), width: 160, height: 112) }
    }

    @Test func mp4RoundTrip() throws {
        let frames = try panningFrames(12)
        let url = folder.file("pan.mp4")
        let writer = try VideoWriter(url: url, width: 160, height: 112, fps: 12)
        for f in frames { try writer.write(f) }
        try writer.finish()
        #expect(["avc1", "mp4v"].contains(writer.codec))
        let back = try VideoReader(url).remainingFrames()
        #expect(back.count == 12)
        for (a, b) in zip(back, frames) { #expect(meanAbsoluteDifference(a, b) < 6) }
    }

    @Test func gifDecodesBackThroughFFmpeg() throws {
        let frames = try panningFrames(4)
        let url = folder.file("pan.gif")
        let writer = try GIFWriter(url: url, width: 160, height: 112, fps: 10)
        for f in frames { try writer.write(f) }
        try writer.finish()
        #expect(writer.delay == 10)
        // FFmpeg's GIF decoder (through OpenCV) is the independent reader.
        let back = try VideoReader(url).remainingFrames()
        #expect(back.count == 4)
        for (a, b) in zip(back, frames) { #expect(meanAbsoluteDifference(a, b) < 3, "median-cut palette error") }
    }

    @Test func gifWithFewColoursIsExact() throws {
        // 256 × 200 pixels of 200 distinct colours: every colour gets its own palette entry, and the
        // LZW table fills and restarts many times.
        var rng = SeededGenerator(seed: 3)
        let colors = (0..<200).map { _ in (UInt8.random(in: 0...255, using: &rng), UInt8.random(in: 0...255, using: &rng), UInt8.random(in: 0...255, using: &rng)) }
        var pixels: [UInt8] = []
        for _ in 0..<(256 * 200) {
            let c = colors[Int.random(in: 0..<200, using: &rng)]
            pixels += [c.0, c.1, c.2]
        }
        let noise = Image(width: 256, height: 200, format: .rgb, pixels: pixels)
        let flat = Image(width: 256, height: 200, format: .rgb, filledWith: [10, 200, 30])
        let url = folder.file("noise.gif")
        let writer = try GIFWriter(url: url, width: 256, height: 200, fps: 25)
        try writer.write(noise)
        try writer.write(flat)
        try writer.finish()
        let back = try VideoReader(url).remainingFrames()
        #expect(back.count == 2)
        #expect(back.first == noise)
        #expect(back.last == flat)
    }

    @Test func writersRejectBadInput() throws {
        #expect(throws: VideoError.self) { try VideoWriter(url: folder.file("no/dir/x.mp4"), width: 8, height: 8, fps: 5) }
        #expect(throws: VideoError.self) { try VideoWriter(url: folder.file("x.mp4"), width: 0, height: 8, fps: 5) }
        let writer = try VideoWriter(url: folder.file("y.mp4"), width: 16, height: 16, fps: 5)
        #expect(throws: VideoError.self) { try writer.write(Image(width: 8, height: 8, format: .rgb, filledWith: [0, 0, 0])) }
        #expect(throws: VideoError.self) { try GIFWriter(url: folder.file("no/dir/x.gif"), width: 8, height: 8, fps: 5) }
        let gif = try GIFWriter(url: folder.file("empty.gif"), width: 8, height: 8, fps: 5)
        #expect(throws: VideoError.self) { try gif.finish() }
    }
}
