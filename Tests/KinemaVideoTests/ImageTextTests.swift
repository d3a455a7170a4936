import CKinemaCV
import KinemaMediaTestSupport
import KinemaVideo
import Testing

@Suite struct ImageTextTests {
    /// A real photo as the canvas, so that "unchanged" means every byte of varied content survives;
    /// wide enough for the longest text below.
    func canvas() throws -> Image { try TestData.photo("coffee", width: 400, height: 160) }

    /// Pixels (x, y) where `a` and `b` differ.
    func changes(_ a: Image, _ b: Image) -> [(x: Int, y: Int)] {
        var out: [(Int, Int)] = []
        for y in 0..<a.height {
            for x in 0..<a.width where a.pixel(x: x, y: y) != b.pixel(x: x, y: y) { out.append((x, y)) }
        }
        return out
    }

    func inside(_ p: (x: Int, y: Int), _ x: Int, _ y: Int, _ size: (width: Int, height: Int)) -> Bool {
        (x..<(x + size.width)).contains(p.x) && (y..<(y + size.height)).contains(p.y)
    }

    /// Glyphs that reach past OpenCV's own getTextSize estimate (bars, brackets, descenders, a
    /// thick stroke) still stay inside the reported box, and they do mark it.
    @Test(arguments: [TextStyle(height: 8), TextStyle(height: 16, thickness: 3, padding: 0), TextStyle(height: 30)])
    func textChangesPixelsOnlyInsideItsBox(_ style: TextStyle) throws {
        let before = try canvas()
        let text = "Mg|[x +2](jq)_"
        let size = try Image.textSize(text, style: style)
        let (x, y) = (10, 20)
        var after = before
        try after.draw(text: text, at: (x, y), style: style, color: (255, 0, 255))
        let changed = changes(before, after)
        #expect(!changed.isEmpty)
        #expect(changed.allSatisfy { inside($0, x, y, size) }, "\(changed.filter { !inside($0, x, y, size) }.prefix(5)) outside the \(size) box at (\(x), \(y))")
        // The ink covers a fair share of the box and reaches near its left and right ends.
        #expect(changed.count > size.width * size.height / 20)
        let columns = changed.map(\.x)
        #expect(columns.min()! <= x + style.padding + style.thickness + 2)
        #expect(columns.max()! >= x + size.width - style.padding - style.thickness - 3)
    }

    @Test func backgroundFillsExactlyTheBox() throws {
        let before = try canvas()
        let style = TextStyle(height: 12, padding: 3)
        let size = try Image.textSize("static", style: style)
        var after = before
        try after.draw(text: "static", at: (50, 60), style: style, color: (255, 255, 255), background: (0, 0, 40))
        let changed = changes(before, after)
        #expect(changed.allSatisfy { inside($0, 50, 60, size) })
        // Every box pixel is the background, the text colour or a blend of the two: blue ≥ 40, and
        // red = green (the blend of 0 → 255 is the same in both).
        for y in 60..<(60 + size.height) {
            for x in 50..<(50 + size.width) {
                let p = after.pixel(x: x, y: y)
                #expect(p[0] == p[1] && p[2] >= 40 && p[2] >= p[0], "(\(x), \(y)) = \(p)")
            }
        }
        // The padding band holds no ink.
        for x in 50..<(50 + size.width) { #expect(after.pixel(x: x, y: 60) == [0, 0, 40]) }
    }

    @Test func textsOfOneStyleShareTheBoxHeight() throws {
        let style = TextStyle(height: 14)
        let sizes = try ["x +2", "y -1", "static", "unmasked", "", "___", "'"].map { try Image.textSize($0, style: style) }
        #expect(Set(sizes.map(\.height)).count == 1)
        #expect(sizes[3].width > sizes[2].width && sizes[2].width > sizes[0].width)
        #expect(try Image.textSize("unmasked", style: TextStyle(height: 28)).height > sizes[0].height)
    }

    @Test func boxesReachingOutsideAreClipped() throws {
        let before = try canvas()
        let style = TextStyle(height: 20)
        let size = try Image.textSize("clipped", style: style)
        for origin in [(-size.width / 2, -size.height / 2), (before.width - 10, before.height - 5), (-5000, 300)] {
            var after = before
            try after.draw(text: "clipped", at: origin, style: style, background: (0, 0, 0))
            #expect(changes(before, after).allSatisfy { inside($0, origin.0, origin.1, size) })
        }
    }

    @Test func grayImagesBecomeRGB() throws {
        var gray = Image(width: 64, height: 32, format: .gray, filledWith: [128])
        try gray.draw(text: "ok", at: (2, 2), style: TextStyle(height: 10), color: (255, 0, 0))
        #expect(gray.format == .rgb)
        #expect(gray.pixels.enumerated().contains { $0.offset % 3 == 0 && $0.element > 200 })
    }

    @Test func badArgumentsAreRejected() throws {
        var image = try canvas()
        let before = image
        let bad: [(String, TextStyle, (Int, Int))] = [
            ("naïve", TextStyle(height: 12), (0, 0)),  // not ASCII: the Hershey font has no such glyph
            ("tab\there", TextStyle(height: 12), (0, 0)),
            ("x", TextStyle(height: 0), (0, 0)),
            ("x", TextStyle(height: 513), (0, 0)),
            ("x", TextStyle(height: 12, thickness: 0), (0, 0)),
            ("x", TextStyle(height: 12, thickness: 65), (0, 0)),
            ("x", TextStyle(height: 12, padding: -1), (0, 0)),
            (String(repeating: "x", count: 1025), TextStyle(height: 8), (0, 0)),
            (String(repeating: "W", count: 600), TextStyle(height: 100), (0, 0)),  // ~50 000 px wide
            ("x", TextStyle(height: 12), (20_000, 0)),
            ("x", TextStyle(height: 12), (0, -16_384)),
        ]
        for (text, style, origin) in bad {
            #expect(throws: VideoError.self, "\(text.prefix(12)) \(style) at \(origin)") {
                try image.draw(text: text, at: origin, style: style)
            }
        }
        #expect(image == before, "a rejected call leaves the image alone")
        #expect(throws: VideoError.self) { try Image.textSize("ü", style: TextStyle(height: 12)) }
    }

    /// The shim checks its arguments too (the C boundary contract): a status and a message, no abort.
    @Test func shimRejectsBadArguments() {
        var pixels = [UInt8](repeating: 0, count: 16 * 16 * 3)
        let white: [UInt8] = [255, 255, 255]
        var w: Int32 = 0, h: Int32 = 0
        func rejected(_ status: Int32) -> Bool {
            defer { kcv_clear_last_error() }
            return status == Int32(KCV_ERR_ARGUMENT.rawValue) && !String(cString: kcv_last_error_message()).isEmpty
        }
        pixels.withUnsafeMutableBytes { p in
            #expect(rejected(kcv_put_text(nil, 16, 16, "a", 0, 0, 8, 1, 0, white, nil)))
            #expect(rejected(kcv_put_text(p.baseAddress, 16, 16, nil, 0, 0, 8, 1, 0, white, nil)))
            #expect(rejected(kcv_put_text(p.baseAddress, 16, 16, "a", 0, 0, 8, 1, 0, nil, nil)))
            #expect(rejected(kcv_put_text(p.baseAddress, 0, 16, "a", 0, 0, 8, 1, 0, white, nil)))
            #expect(rejected(kcv_put_text(p.baseAddress, 16, 16, "\u{7F}", 0, 0, 8, 1, 0, white, nil)))
            #expect(rejected(kcv_put_text(p.baseAddress, 16, 16, "a", 0, 0, 8, 1, -3, white, nil)))
            #expect(rejected(kcv_put_text(p.baseAddress, 16, 16, "a", 40_000, 0, 8, 1, 0, white, nil)))
            #expect(kcv_put_text(p.baseAddress, 16, 16, "a", 0, 0, 8, 1, 0, white, nil) == Int32(KCV_OK.rawValue))
        }
        #expect(rejected(kcv_text_size("a", 8, 1, 0, nil, &h)))
        #expect(rejected(kcv_text_size("a", -1, 1, 0, &w, &h)))
        #expect(kcv_text_size("a", 8, 1, 0, &w, &h) == Int32(KCV_OK.rawValue) && w > 0 && h > 8)
    }
}
