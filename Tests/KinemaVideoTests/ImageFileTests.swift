import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

@Suite struct ImageFileTests {
    let folder = TemporaryFolder()

    /// A small image with every byte different from its neighbours, so any mix-up shows.
    func pattern(width: Int = 23, height: Int = 17, format: PixelFormat) -> Image {
        let pixels = (0..<(width * height * format.channels)).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / 5) }
        return Image(width: width, height: height, format: format, pixels: pixels)
    }

    /// BMP stores no alpha; PNG keeps all three layouts.
    @Test(arguments: [(PixelFormat.gray, "png"), (.rgb, "png"), (.rgba, "png"), (.gray, "bmp"), (.rgb, "bmp")])
    func losslessFormatsRoundTripExactly(format: PixelFormat, ext: String) throws {
        let image = pattern(format: format)
        let url = folder.file("p.\(ext)")
        try image.write(to: url)
        #expect(try Image(contentsOf: url, format: format) == image)
    }

    @Test func jpegAndWebPRoundTripClosely() throws {
        let photo = try TestData.photo("chelsea", width: 120, height: 90)
        for ext in ["jpg", "webp"] {
            let url = folder.file("c.\(ext)")
            try photo.write(to: url)
            let back = try Image(contentsOf: url)
            #expect(back.width == 120 && back.height == 90)
            let meanError = zip(back.pixels, photo.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / photo.pixels.count
            #expect(meanError < 4, "\(ext) mean absolute error \(meanError)")
        }
    }

    @Test func grayIsReplicatedAndAlphaDroppedExplicitly() throws {
        let gray = pattern(format: .gray)
        let url = folder.file("g.png")
        try gray.write(to: url)
        let rgb = try Image(contentsOf: url, format: .rgb)
        #expect(rgb.format == .rgb)
        #expect(rgb.pixel(x: 5, y: 3).elementsEqual(Array(repeating: gray.pixel(x: 5, y: 3).first!, count: 3)))

        let rgba = pattern(format: .rgba)
        let rgbaURL = folder.file("a.png")
        try rgba.write(to: rgbaURL)
        let dropped = try Image(contentsOf: rgbaURL, format: .rgb)
        #expect(dropped.pixel(x: 2, y: 9).elementsEqual(rgba.pixel(x: 2, y: 9).prefix(3)))
        // RGB read as RGBA gets an opaque alpha.
        let opaque = try Image(contentsOf: url, format: .rgba)
        #expect(opaque.pixel(x: 1, y: 1).last == 255)
    }

    @Test func sixteenBitSamplesAreScaledTo8Bit() throws {
        // A 3x1 16-bit PGM (big-endian samples): 0, 257·100, 65535 → 0, 100, 255.
        var bytes = Array("P5\n3 1\n65535\n".utf8)
        for v in [0, 257 * 100, 65535] { bytes += [UInt8(v >> 8), UInt8(v & 0xFF)] }
        let url = folder.file("deep.pgm")
        try Data(bytes).write(to: url)
        let image = try Image(contentsOf: url, format: .gray)
        #expect(image.pixels == [0, 100, 255])
    }

    @Test func realPhotosDecode() throws {
        let astronaut = try Image(contentsOf: TestData.url("photos/astronaut.png"))
        #expect((astronaut.width, astronaut.height, astronaut.format) == (512, 512, .rgb))
        let camera = try Image(contentsOf: TestData.url("photos/camera.png"), format: .gray)
        #expect((camera.width, camera.height) == (512, 512))
    }

    @Test func resizeAndConvert() throws {
        let photo = try TestData.photo("coffee")
        let small = try photo.resized(width: 64, height: 40)
        #expect((small.width, small.height) == (64, 40))
        let short = try photo.resized(shortSide: 50)
        #expect(short.height == 50 && short.width == Int((Double(photo.width) * 50 / Double(photo.height)).rounded()))
        let gray = try small.converted(to: .gray)
        // ITU-R 601 luma of the first pixel.
        let p = small.pixel(x: 0, y: 0).map(Double.init)
        #expect(abs(Double(gray.pixels[0]) - (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2])) <= 1)
        #expect(throws: VideoError.self) { try photo.resized(width: 0, height: 10) }
    }

    @Test func drawingTracksFadesOlderSegments() throws {
        var canvas = Image(width: 40, height: 20, format: .rgb, filledWith: [0, 0, 0])
        try canvas.draw(tracks: [.init(points: [(x: 2, y: 10), (x: 20, y: 10), (x: 38, y: 10)], color: (r: 0, g: 200, b: 0))], fade: 0.2)
        let old = canvas.pixel(x: 6, y: 10)[1], new = canvas.pixel(x: 30, y: 10)[1]
        #expect(old > 0 && new > old, "older segment \(old), newer \(new)")
        #expect(canvas.pixel(x: 20, y: 2)[1] == 0)
    }
}

@Suite struct ImageBadInputTests {
    let folder = TemporaryFolder()

    func reason(_ body: () throws -> Void) -> VideoError.Reason? {
        do { try body() } catch let error as VideoError { return error.reason } catch { return nil }
        return nil
    }

    @Test func missingFileAndFolder() {
        #expect(reason { _ = try Image(contentsOf: folder.file("nope.png")) } == .missing)
        guard case .unreadable = reason({ _ = try Image(contentsOf: folder.url) }) else {
            Issue.record("a folder must be reported unreadable")
            return
        }
    }

    @Test func emptyAndGarbageFilesAreCorrupt() throws {
        let empty = folder.file("empty.png")
        try Data().write(to: empty)
        guard case .corrupt = reason({ _ = try Image(contentsOf: empty) }) else { Issue.record("empty file"); return }
        let garbage = folder.file("garbage.jpg")
        try Data((0..<500).map { UInt8(truncatingIfNeeded: $0 * 31) }).write(to: garbage)
        guard case .corrupt = reason({ _ = try Image(contentsOf: garbage) }) else { Issue.record("garbage file"); return }
    }

    @Test func truncatedFilesAreReported() throws {
        let photo = try TestData.photo("chelsea", width: 160, height: 120)
        for ext in ["png", "jpg"] {
            let bytes = try photo.encoded(as: ImageFileFormat(fileExtension: ext)!)
            let url = folder.file("cut.\(ext)")
            try bytes.prefix(bytes.count / 2).write(to: url)
            let r = reason { _ = try Image(contentsOf: url) }
            switch r {
            case .truncated?, .corrupt?: break
            default: Issue.record("truncated \(ext) gave \(String(describing: r))")
            }
        }
    }

    /// A 70-byte BMP whose header claims 30000 x 30000 pixels is refused before OpenCV allocates
    /// the 2.7 GB it would take (docs/fuzzing.md), with the limit in the message.
    @Test func anImageClaimingTooManyPixelsIsRefusedBeforeDecoding() {
        var bmp = Data("BM".utf8)
        func le<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bmp.append(contentsOf: $0) } }
        le(UInt32(70)); le(UInt32(0)); le(UInt32(54))  // file size, reserved, pixel data offset
        le(UInt32(40)); le(Int32(30000)); le(Int32(30000)); le(UInt16(1)); le(UInt16(24))  // 24-bit, 30000 x 30000
        for _ in 0..<6 { le(UInt32(0)) }
        bmp.append(Data(count: 16))
        let r = reason { _ = try Image(encoded: bmp, name: URL(fileURLWithPath: "bomb.bmp")) }
        guard case .corrupt(let why)? = r else { Issue.record("gave \(String(describing: r))"); return }
        #expect(why.contains("900000000 pixels") && why.contains("134 megapixels"), "\(why)")
    }

    @Test func errorsNameTheFile() {
        let url = folder.file("missing-frame.png")
        do {
            _ = try Image(contentsOf: url)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("missing-frame.png"))
        }
    }

    @Test func unwritableDestinations() {
        let image = Image(width: 4, height: 4, format: .rgb, filledWith: [1, 2, 3])
        guard case .writeFailed = reason({ try image.write(to: folder.file("no/such/folder/x.png")) }) else {
            Issue.record("missing folder")
            return
        }
        guard case .unsupported = reason({ try image.write(to: folder.file("x.xyz")) }) else {
            Issue.record("unknown extension")
            return
        }
    }

    @Test func anOpenCVFailureOnValidInputIsThrownNotTrapped() {
        // A 1 048 576² RGB canvas needs 3 TiB: OpenCV's failed allocation comes back as an error.
        let image = Image(width: 4, height: 4, format: .rgb, filledWith: [1, 2, 3])
        guard case .engine(let why) = reason({ _ = try image.resized(width: 1 << 20, height: 1 << 20) }) else {
            Issue.record("expected an engine error")
            return
        }
        #expect(why.contains("resize") && why.contains("Insufficient memory"), "\(why)")
    }
}
