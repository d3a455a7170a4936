import KinemaVideo
import KinemaVisualize
import Testing

/// The anti-aliased line rasteriser and the HOG glyphs drawn with it: ink where the line runs,
/// shared between the two pixels a line passes between in proportion to its distance from each,
/// nothing elsewhere.
@Suite struct LineDrawingTests {
    func canvas() -> Image { Image(width: 40, height: 30, format: .rgb, filledWith: [0, 0, 0]) }

    /// Red channel of every pixel, row-major.
    func red(_ image: Image) -> [Int] { Swift.stride(from: 0, to: image.pixels.count, by: 3).map { Int(image.pixels[$0]) } }

    @Test func aHorizontalLineOnPixelCentresFillsItsRowOnly() throws {
        var image = canvas()
        try image.blendLine(from: (5, 10), to: (30, 10), color: (255, 0, 0))
        let r = red(image)
        for x in 6...29 { #expect(r[10 * 40 + x] == 255, "x = \(x)") }
        // The end pixels hold half a pixel of line each.
        #expect(r[10 * 40 + 5] == 128 && r[10 * 40 + 30] == 128)
        let inked = r.indices.filter { r[$0] > 0 }
        #expect(inked.allSatisfy { $0 / 40 == 10 && (5...30).contains($0 % 40) })
    }

    @Test func aLineBetweenRowsIsSharedByDistance() throws {
        var image = canvas()
        try image.blendLine(from: (4, 12.25), to: (20, 12.25), color: (200, 0, 0))
        let r = red(image)
        // 0.25 px below row 12's centre: three quarters on row 12, a quarter on row 13.
        #expect(r[12 * 40 + 10] == 150 && r[13 * 40 + 10] == 50)
        #expect(r[11 * 40 + 10] == 0 && r[14 * 40 + 10] == 0)
    }

    @Test func aSteepDiagonalVisitsEveryRowOnce() throws {
        var image = canvas()
        try image.blendLine(from: (2, 2), to: (14, 26), color: (255, 0, 0))
        let r = red(image)
        for y in 3...25 {
            let x = 2 + Float(y - 2) / 2  // x = 2 + (y − 2)/2
            let ink = (0..<40).reduce(0) { $0 + r[y * 40 + $1] }
            #expect(abs(ink - 255) <= 2, "row \(y) holds \(ink)")
            #expect(r[y * 40 + Int(x.rounded(.down))] > 0, "row \(y)")
        }
    }

    @Test func opacityBlendsIntoWhatIsThere() throws {
        var image = Image(width: 10, height: 10, format: .rgb, filledWith: [100, 100, 100])
        try image.blendLine(from: (1, 5), to: (8, 5), color: (200, 0, 0), opacity: 0.5)
        #expect(image.pixel(x: 4, y: 5) == [150, 50, 50])
        #expect(image.pixel(x: 4, y: 4) == [100, 100, 100])
    }

    @Test func aHOGGlyphStrokesAlongTheEdgeOfItsBin() throws {
        // Bin 0 holds horizontal gradients (a vertical edge): its stroke is vertical. Bin 3 of 6
        // (90°, vertical gradients) is horizontal.
        for (bin, vertical) in [(0, true), (3, false)] {
            var image = canvas()
            var histogram = [Float](repeating: 0, count: 6)
            histogram[bin] = 2
            try HOGGlyphs.draw([histogram], at: [(20, 15)], radius: 6, on: &image)
            let r = red(image)
            let along = vertical ? [r[10 * 40 + 20], r[20 * 40 + 20]] : [r[15 * 40 + 15], r[15 * 40 + 25]]
            let across = vertical ? [r[15 * 40 + 15], r[15 * 40 + 25]] : [r[10 * 40 + 20], r[20 * 40 + 20]]
            #expect(along.allSatisfy { $0 == 255 } && across.allSatisfy { $0 == 0 }, "bin \(bin): along \(along), across \(across)")
        }
    }

    @Test func badInputIsAnErrorNotATrap() throws {
        var image = canvas()
        #expect(throws: VisualizeError.self) { try image.blendLine(from: (.nan, 0), to: (3, 3), color: (1, 1, 1)) }
        #expect(throws: VisualizeError.self) { try HOGGlyphs.draw([[1]], at: [], radius: 3, on: &image) }
        // Lines leaving the image are clipped.
        try image.blendLine(from: (-50, -20), to: (90, 70), color: (255, 255, 255))
    }
}
