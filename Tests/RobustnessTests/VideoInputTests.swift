import Foundation
import KinemaVideo
import Testing

/// Every frame of `url` through ``VideoReader``: the count and the shortfall warning, if any.
private func readAll(_ url: URL, size: FrameSize = .native) throws -> (frames: Int, reader: VideoReader) {
    let reader = try VideoReader(url, size: size)
    var frames = 0
    while try reader.next() != nil { frames += 1 }
    return (frames, reader)
}

/// A Motion-JPEG AVI of `frames` 64 × 48 frames that Kinema writes itself, the base of the
/// damaged variants.
private func motionJPEG(_ url: URL, frames: Int = 40, width: Int = 64, height: Int = 48, codecs: [String] = ["MJPG"]) throws -> URL {
    let writer = try VideoWriter(url: url, width: width, height: height, fps: 25, codecs: codecs)
    for i in 0..<frames {
        var pixels = [UInt8](repeating: UInt8(i * 6 % 256), count: width * height * 3)
        for p in 0..<(width * height) {
            pixels[3 * p] = UInt8(truncatingIfNeeded: (p % width) * 4)
            pixels[3 * p + 1] = UInt8(truncatingIfNeeded: (p / width + i) * 5)
        }
        try writer.write(Image(width: width, height: height, format: .rgb, pixels: pixels))
    }
    try writer.finish()
    return url
}

/// The offsets of every `tag` (a 4-byte RIFF chunk id) in `data`.
private func offsets(of tag: String, in data: Data) -> [Int] {
    let bytes = [UInt8](data), pattern = [UInt8](tag.utf8)
    return (0...(bytes.count - 4)).filter { i in bytes[i..<(i + 4)].elementsEqual(pattern) }
}

private func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

@Suite struct VideoInputTests {
    @Test func videoFiles() throws {
        let scratch = Scratch(), matrix = Matrix("videos")
        let base = try motionJPEG(try scratch.file("base.avi"))
        let bytes = try Data(contentsOf: base)

        let missing = try scratch.file("missing.avi")
        matrix.rejects("missing file", "VideoReader", file: missing, mentioning: "no such file") { _ = try VideoReader(missing) }
        let empty = try scratch.file("empty.avi", Data())
        matrix.rejects("empty file (0 bytes)", "VideoReader", file: empty) { _ = try VideoReader(empty) }
        let noise = try scratch.file("garbage.avi", garbage(4096))
        matrix.rejects("4 KB of random bytes named .avi", "VideoReader", file: noise) { _ = try VideoReader(noise) }
        let folder = try scratch.file("no-images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        matrix.rejects("a frame folder without images", "VideoReader", file: folder, mentioning: "no frames") { _ = try VideoReader(folder) }

        for percent in [10, 50, 90] {
            let cut = try scratch.file("truncated-\(percent).avi", bytes.prefix(bytes.count * percent / 100))
            matrix.rejectsOrWarns("MJPEG AVI of 40 frames truncated at \(percent) %", "VideoReader", file: cut, mentioning: "of the 40 frames") {
                let (frames, reader) = try readAll(cut)
                #expect(frames < 40)
                return reader.shortfall.map { "warning: \($0)" }
            }
        }

        // The main header's and the stream header's frame counts both say 1000.
        var lying = [UInt8](bytes)
        let avih = try #require(offsets(of: "avih", in: bytes).first), strh = try #require(offsets(of: "strh", in: bytes).first)
        lying.replaceSubrange((avih + 8 + 16)..<(avih + 8 + 20), with: littleEndian(1000))  // dwTotalFrames
        lying.replaceSubrange((strh + 8 + 32)..<(strh + 8 + 36), with: littleEndian(1000))  // dwLength
        let lies = try scratch.file("lying-header.avi", Data(lying))
        matrix.warns("header claims 1000 frames, 40 decode", "VideoReader", mentioning: "40 of the 1000 frames") {
            let (frames, reader) = try readAll(lies)
            #expect(frames == 40)
            return reader.shortfall.map { "warning: \($0)" }
        }

        // Every JPEG payload ("00dc" chunks) zeroed: the container is whole, no frame decodes.
        var blank = [UInt8](bytes)
        for chunk in offsets(of: "00dc", in: bytes) {
            let size = Int(blank[chunk + 4]) | Int(blank[chunk + 5]) << 8 | Int(blank[chunk + 6]) << 16 | Int(blank[chunk + 7]) << 24
            if chunk + 8 + size <= blank.count { blank.replaceSubrange((chunk + 8)..<(chunk + 8 + size), with: [UInt8](repeating: 0, count: size)) }
        }
        let undecodable = try scratch.file("no-decodable-frame.avi", Data(blank))
        matrix.rejects("AVI whose frames are all zeros", "VideoReader", file: undecodable) { _ = try readAll(undecodable) }

        let one = try motionJPEG(try scratch.file("one-frame.avi"), frames: 1)
        matrix.accepts("a video of one frame", "VideoReader") {
            let (frames, reader) = try readAll(one)
            #expect(frames == 1 && reader.shortfall == nil)
            return "1 frame of 64×48"
        }
        for (name, file) in [("1×1 pixels", "pixel-1x1.mkv"), ("odd size 63×47", "odd-63x47.mkv")] {
            matrix.accepts(name, "VideoReader (short side 128)") {
                let (frames, reader) = try readAll(badMedia(file), size: .shortSide(128))
                #expect(frames == 3)
                return "3 frames of \(reader.metadata.width)×\(reader.metadata.height), decoded at \(reader.outputWidth)×\(reader.outputHeight)"
            }
        }
        let large = try scratch.file("4k.mkv")
        matrix.accepts("4K (3840×2160)", "VideoReader (short side 128)") {
            _ = try motionJPEG(large, frames: 2, width: 3840, height: 2160, codecs: ["FFV1"])
            let (frames, reader) = try readAll(large, size: .shortSide(128))
            #expect(frames == 2)
            return "2 frames of \(reader.metadata.width)×\(reader.metadata.height), decoded at \(reader.outputWidth)×\(reader.outputHeight)"
        }
        let vfr = badMedia("vfr.mkv")
        matrix.warns("variable frame rate (12 frames, FFV1 in Matroska)", "VideoReader", mentioning: "ended after 12 of") {
            let (frames, reader) = try readAll(vfr)
            #expect(frames == 12)
            return reader.shortfall.map { "warning: \($0)" }
        }
        let unknown = badMedia("unknown-codec.avi")
        matrix.rejects("AVI with an unknown codec (FourCC KNMA)", "VideoReader", file: unknown) { _ = try VideoReader(unknown) }
        try matrix.publish(folder: scratch.url)
    }
}
