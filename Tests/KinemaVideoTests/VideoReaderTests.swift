import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

/// Frame counts and sizes of the fetched clips as opencv-python 4.10 (its own FFmpeg build) reads
/// them: independent of Debian's OpenCV 4.6 behind Kinema.
private let clips: [(file: String, width: Int, height: Int, decoded: Int)] = [
    ("videos/bikes.mp4", 640, 272, 250),
    ("videos/carphone.mp4", 176, 144, 120),
    ("videos/g1.avi", 400, 300, 16),
    ("videos/Effet_force_magnetique.ogv", 400, 304, 34),
]

@Suite struct VideoReaderTests {
    @Test(arguments: clips.map(\.file))
    func metadataAndSequentialDecode(file: String) throws {
        let clip = clips.first { $0.file == file }!
        let reader = try VideoReader(TestData.url(file))
        #expect(reader.metadata.width == clip.width && reader.metadata.height == clip.height)
        #expect(reader.metadata.fps > 0 && reader.metadata.duration > 0)
        var count = 0
        while let frame = try reader.next() {
            #expect(frame.width == clip.width && frame.height == clip.height && frame.format == .rgb)
            count += 1
        }
        #expect(count == clip.decoded)
        #expect(try reader.countFrames() == clip.decoded)
    }

    @Test func randomAccessMatchesSequentialDecode() throws {
        let url = try TestData.url("videos/carphone.mp4")
        let sequential = try VideoReader(url, size: .exactly(width: 88, height: 72)).remainingFrames()
        let reader = try VideoReader(url, size: .exactly(width: 88, height: 72), seeking: .timestamp)
        // Forward within the decode-through window, far forward (a real seek), backward, repeated.
        for index in [3, 10, 90, 119, 5, 0, 60, 60] {
            #expect(try reader.frame(at: index) == sequential[index], "frame \(index)")
        }
        let picked = try reader.frames(at: [100, 7, 7, 50])
        #expect(picked == [sequential[100], sequential[7], sequential[7], sequential[50]])
    }

    @Test func decodingToASizeEqualsResizingAfterwards() throws {
        let url = try TestData.url("videos/bikes.mp4")
        let native = try VideoReader(url).next()!
        let direct = try VideoReader(url, size: .shortSide(68)).next()!
        #expect((direct.width, direct.height) == (160, 68))
        #expect(direct == (try native.resized(width: 160, height: 68)))
        let gray = try VideoReader(url, size: .shortSide(68), format: .gray).next()!
        #expect(try gray.format == .gray && gray == direct.converted(to: .gray))
    }

    @Test func declaredCountCanExceedWhatDecodes() throws {
        // The VP9 clip declares 300 frames; its stream decodes fewer (opencv-python 4.10: 295).
        let url = try TestData.url("videos/balle1-vp9.avi")
        let reader = try VideoReader(url, seeking: .decodeOrder)
        let exact = try reader.countFrames()
        #expect(reader.metadata.frameCount == 300 && exact == 295)
        let sequential = try VideoReader(url).remainingFrames()
        #expect(sequential.count == exact)
        #expect(try reader.frame(at: exact - 1) == sequential[exact - 1])
        #expect(try reader.frame(at: 3) == sequential[3])
        #expect {
            try reader.frame(at: exact)
        } throws: { error in
            guard let e = error as? VideoError, case .truncated = e.reason else { return false }
            return e.path.hasSuffix("balle1-vp9.avi")
        }
    }

    @Test func frameFoldersReadLikeVideos() throws {
        let folder = TemporaryFolder()
        let photo = try TestData.photo("astronaut", width: 48, height: 32)
        // Names in natural order: 2 before 10.
        for i in [1, 2, 10] {
            var frame = photo
            frame.pixels[0] = UInt8(i)
            try frame.write(to: folder.file("img_\(i).png"))
        }
        try Data("not an image".utf8).write(to: folder.file("notes.txt"))
        let reader = try VideoReader(folder.url, size: .exactly(width: 24, height: 16), folderFPS: 10)
        #expect(reader.metadata.frameCount == 3 && reader.metadata.fps == 10)
        #expect(try reader.frame(at: 2) == (try {
            var f = photo
            f.pixels[0] = 10
            return try f.resized(width: 24, height: 16)
        }()))
        let all = try VideoReader(folder.url).remainingFrames()
        #expect(all.map { $0.pixels[0] } == [1, 2, 10])
    }

    @Test func batchSkipsAndReportsBadVideos() throws {
        let folder = TemporaryFolder()
        let garbage = folder.file("garbage.mp4")
        try Data(repeating: 7, count: 4096).write(to: garbage)
        let good = try TestData.url("videos/g1.avi")
        var logged: [String] = []
        let report = try VideoBatch.process([good, folder.file("missing.avi"), garbage], onSkip: { logged.append($0.path) }) {
            $0.metadata.width
        }
        #expect(report.results.count == 1 && report.results[0].result == 400)
        #expect(report.skipped.map(\.path) == [folder.file("missing.avi").path, garbage.path])
        #expect(logged.count == 2)
    }
}

@Suite struct VideoBadInputTests {
    let folder = TemporaryFolder()

    func reason(_ body: () throws -> Void) -> VideoError.Reason? {
        do { try body() } catch let error as VideoError { return error.reason } catch { return nil }
        return nil
    }

    @Test func missingAndNonVideoFiles() throws {
        #expect(reason { _ = try VideoReader(folder.file("nothing.mp4")) } == .missing)
        let text = folder.file("text.avi")
        try Data("hello, this is not a video at all".utf8).write(to: text)
        guard case .corrupt = reason({ _ = try VideoReader(text) }) else {
            Issue.record("a text file must be reported undecodable")
            return
        }
    }

    @Test func unknownCodec() throws {
        // g1.avi with its DivX FourCC ("DX50", in the stream header and the format chunk) renamed to
        // one no decoder claims (OpenCV's FFmpeg backend then refuses to open it).
        var bytes = [UInt8](try Data(contentsOf: TestData.url("videos/g1.avi")))
        let from = Array("DX50".utf8), to = Array("QQQQ".utf8)
        var replaced = 0
        for i in 0..<min(bytes.count - 4, 4096) where Array(bytes[i..<(i + 4)]) == from {
            bytes.replaceSubrange(i..<(i + 4), with: to)
            replaced += 1
        }
        #expect(replaced == 2)
        let url = folder.file("unknown-codec.avi")
        try Data(bytes).write(to: url)
        do {
            _ = try VideoReader(url)
            Issue.record("a video with an unknown codec opened")
        } catch {
            #expect(error.path == url.path)
            guard case .corrupt(let why) = error.reason else { Issue.record("\(error)"); return }
            #expect(why.contains("codec"))
        }
    }

    @Test func emptyFolderHasNoFrames() {
        guard case .noFrames = reason({ _ = try VideoReader(folder.url) }) else {
            Issue.record("an empty folder must have no frames")
            return
        }
    }

    @Test func corruptFrameInAFolderNamesTheFrame() throws {
        try Image(width: 8, height: 8, format: .rgb, filledWith: [9, 9, 9]).write(to: folder.file("0001.png"))
        try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).write(to: folder.file("0002.png"))
        let reader = try VideoReader(folder.url)
        _ = try reader.next()
        do {
            _ = try reader.next()
            Issue.record("the corrupt frame decoded")
        } catch {
            #expect(error.path.hasSuffix("0002.png"))
        }
    }

    @Test func truncatedVideos() throws {
        let source = try Data(contentsOf: TestData.url("videos/bikes.mp4"))
        // MP4 keeps its index at the end here: a cut file does not open.
        let cutMP4 = folder.file("cut.mp4")
        try source.prefix(source.count / 3).write(to: cutMP4)
        #expect(reason { _ = try VideoReader(cutMP4) } != nil)
        // AVI streams frame by frame: a cut file opens and ends early.
        let avi = try Data(contentsOf: TestData.url("videos/g1.avi"))
        let cutAVI = folder.file("cut.avi")
        try avi.prefix(avi.count / 2).write(to: cutAVI)
        let reader = try VideoReader(cutAVI)
        let decoded = try reader.remainingFrames().count
        #expect(decoded < 16)
        guard case .truncated = reason({ _ = try reader.frame(at: 15) }) else {
            Issue.record("reading past the cut must report truncation")
            return
        }
    }

    @Test func zeroFrameVideo() throws {
        // An AVI container with a header and no frame (an empty MP4 has no stream FFmpeg can open,
        // so it is reported as undecodable instead).
        let url = folder.file("empty.avi")
        let writer = try VideoWriter(url: url, width: 64, height: 48, fps: 10, codecs: ["MJPG"])
        try writer.finish()
        let r = reason { _ = try VideoReader(url) }
        guard case .noFrames = r else {
            Issue.record("a zero-frame video gave \(String(describing: r))")
            return
        }
    }

    @Test func outOfRangeAndBadArguments() throws {
        let reader = try VideoReader(TestData.url("videos/g1.avi"))
        #expect(reason { _ = try reader.frame(at: 16) } == .frameOutOfRange(index: 16, frameCount: 16))
        #expect(reason { _ = try reader.frame(at: -1) } == .frameOutOfRange(index: -1, frameCount: 16))
        guard case .invalidArgument = reason({ _ = try VideoReader(TestData.url("videos/g1.avi"), format: .rgba) }) else {
            Issue.record("rgba video decoding must be rejected")
            return
        }
    }
}
