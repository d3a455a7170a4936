import Foundation
import KinemaMediaTestSupport
import KinemaPretext
import KinemaVideo
import KinemaVisualize
import Testing

@Suite struct MoSISampleSheetTests {
    let folder = TemporaryFolder()

    /// L = 72 (> 64: cells at crop size, so cell pixels are clip pixels), N = 6, 9 classes; no
    /// colour jitter, which the sheet passes through untouched and which is slow in debug builds
    /// (one test keeps it).
    static let config = MoSIConfig(frameCount: 6, cropSize: 72, standardSize: 96, colorJitter: .none)
    /// The paper's 9 decoupled classes in the official label order.
    static let captions = ["x -2", "x -1", "x +1", "x +2", "y -2", "y -1", "y +1", "y +2", "static"]

    func photo() throws -> Image { try TestData.photo("coffee", width: 200, height: 133) }

    /// The `size × size` region of `image` at (x, y).
    func region(_ image: Image, _ x: Int, _ y: Int, _ w: Int, _ h: Int) throws -> Image {
        try image.cropped(x: x, y: y, width: w, height: h)
    }

    @Test func gridHoldsEveryClassMaskedAndUnmasked() throws {
        let image = try photo()
        var config = Self.config
        (config.colorJitter, config.frameCount) = (.paper, 3)
        let sheet = try MoSISampleSheet(image: image, config: config, seed: 3)
        let l = Self.config.cropSize
        #expect(sheet.frames.count == 3)
        #expect(sheet.cells.count == 9 * 2)
        // A header tile, then 9 cells, 2 px apart; one row pair.
        #expect(sheet.frames.allSatisfy { $0.width == 10 * l + 9 * 2 && $0.height == 2 * l + 2 })
        #expect(sheet.cells.filter(\.masked).map(\.caption) == Self.captions)
        #expect(sheet.cells.filter { !$0.masked }.map(\.caption) == Self.captions)

        // Masked cells are the generator's clips for item 0 of this seed; the label box covers only
        // the top of the cell, so its lower half is the clip's.
        let clips = try MoSIGenerator(config, seed: 3).group(for: image, item: 0).clips
        for cell in sheet.cells where cell.masked {
            for t in 0..<3 {
                let shown = try region(sheet.frames[t], cell.x, cell.y + l / 2, l, l / 2)
                #expect(shown == (try region(clips[cell.label][t], 0, l / 2, l, l / 2)), "\(cell.caption) frame \(t)")
                #expect(try region(sheet.frames[t], cell.x, cell.y, 8, 8) != (try region(clips[cell.label][t], 0, 0, 8, 8)),
                        "the caption is drawn over the clip")
            }
        }
    }

    /// The unmasked row is the same clip without Eq. 3: inside the mask box both rows move alike,
    /// outside it the masked clip shows the unmasked clip's background frame all along.
    @Test func unmaskedRowSharesThePaths() throws {
        let sheet = try MoSISampleSheet(image: try photo(), config: Self.config, seed: 11)
        let l = Self.config.cropSize
        var differs = false
        for sample in sheet.group.samples {
            let mask = try #require(sample.mask)
            let cells = sheet.cells.filter { $0.label == sample.label }
            let (masked, unmasked) = (try #require(cells.first { $0.masked }), try #require(cells.first { !$0.masked }))
            #expect(masked.x == unmasked.x && unmasked.y == masked.y + l + 2)
            // Rows below the caption box (a third of the cell is well clear of it).
            let top = l / 3
            for t in 0..<6 {
                for y in top..<l {
                    for x in 0..<l {
                        let inBox = (mask.x..<(mask.x + mask.width)).contains(x) && (mask.y..<(mask.y + mask.height)).contains(y)
                        let shown = sheet.frames[t].pixel(x: masked.x + x, y: masked.y + y)
                        let source = sheet.frames[inBox ? t : mask.backgroundFrame].pixel(x: unmasked.x + x, y: unmasked.y + y)
                        if shown != source { Issue.record("\(sample.label) t \(t) (\(x), \(y)): \(shown) vs \(source)"); return }
                        if !inBox, sheet.frames[t].pixel(x: unmasked.x + x, y: unmasked.y + y) != shown { differs = true }
                    }
                }
            }
        }
        #expect(differs, "the static mask freezes the area outside its box")
    }

    @Test func gifDecodesBackWithEveryFrame() throws {
        let sheet = try MoSISampleSheet(image: try photo(), config: Self.config, seed: 5)
        let written = try sheet.writeGIF(to: folder.file("samples.gif"), fps: 10)
        #expect(written.url == folder.file("samples.gif") && written.frameCount == 6)
        // FFmpeg's GIF decoder (through OpenCV) is the independent reader.
        let back = try VideoReader(written.url).remainingFrames()
        #expect(back.count == 6)
        for (decoded, frame) in zip(back, sheet.frames) {
            #expect(decoded.width == frame.width && decoded.height == frame.height)
            let error = zip(decoded.pixels, frame.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
            // 19 tiles of photo share one 256-colour palette per frame: a few levels of error.
            #expect(Double(error) / Double(frame.pixels.count) < 8, "median-cut palette error")
        }
    }

    @Test func sameSeedSameSheet() throws {
        let image = try photo()
        let config = MoSIConfig(frameCount: 3, cropSize: 24, standardSize: 40)
        let a = try MoSISampleSheet(image: image, config: config, seed: 21)
        let b = try MoSISampleSheet(image: image, config: config, seed: 21)
        let c = try MoSISampleSheet(image: image, config: config, seed: 22)
        #expect(a.frames == b.frames && a.group == b.group)
        #expect(a.frames != c.frames)
    }

    /// Small crops are shown at twice their size; classes wrap onto further row pairs.
    @Test func smallCropsScaleUpAndColumnsWrap() throws {
        let config = MoSIConfig(frameCount: 3, cropSize: 24, standardSize: 40)
        let sheet = try MoSISampleSheet(image: try photo(), config: config, seed: 1, columns: 4)
        // 9 classes in rows of 4: three row pairs of 48 px cells, a header column and 4 cells wide.
        #expect(sheet.cells.count == 18 && sheet.cells.allSatisfy { $0.size == 48 })
        #expect(sheet.frames.count == 3)
        #expect(sheet.frames[0].width == 5 * 48 + 4 * 2 && sheet.frames[0].height == 6 * 48 + 5 * 2)
        #expect(Set(sheet.cells.map { "\($0.x),\($0.y)" }).count == 18, "no two cells overlap")
    }

    /// Without a configured mask the upper row still gets the paper's, so the rows compare.
    @Test func configWithoutMaskStillShowsAMaskedRow() throws {
        let config = MoSIConfig(frameCount: 2, cropSize: 24, standardSize: 40, staticMask: .none)
        let sheet = try MoSISampleSheet(image: try photo(), config: config, seed: 2)
        #expect(sheet.group.samples.allSatisfy { $0.mask != nil })
    }

    @Test func captionsNameTheMotion() {
        #expect(MoSISampleSheet.caption(for: MoSISpeed(x: 2, y: 0)) == "x +2")
        #expect(MoSISampleSheet.caption(for: MoSISpeed(x: 0, y: -1)) == "y -1")
        #expect(MoSISampleSheet.caption(for: .still) == "static")
        #expect(MoSISampleSheet.caption(for: MoSISpeed(x: 1, y: -2)) == "x +1 y -2")
    }

    @Test func badRequestsThrow() throws {
        let image = try photo()
        #expect(throws: VisualizeError.self) { try MoSISampleSheet(image: image, config: Self.config, columns: 0) }
        #expect(throws: VisualizeError.self) {
            try MoSISampleSheet(image: image, config: MoSIConfig(frameCount: 4, cropSize: 64, standardSize: 64))
        }
        let sheet = try MoSISampleSheet(image: image, config: MoSIConfig(frameCount: 1, cropSize: 24, standardSize: 40))
        #expect(throws: VisualizeError.self) { try sheet.writeGIF(to: folder.file("no/such/folder/x.gif")) }
    }
}
