import KinemaVideo
import Testing

/// The PIL-convention affine warp and 3×3 filter on cases whose answer is known without
/// interpolation: whole-pixel moves, the fill, the kept frame. (Fractional warps are checked
/// against Pillow through RandAugment, KinemaDataTests/RandAugmentParityTests.)
@Suite struct ImageAffineTests {
    /// Pixel (x, y) holds (x, y, 7).
    private let image: Image = {
        var pixels: [UInt8] = []
        for y in 0..<5 { for x in 0..<6 { pixels += [UInt8(10 * x), UInt8(10 * y), 7] } }
        return Image(width: 6, height: 5, format: .rgb, pixels: pixels)
    }()

    @Test func wholePixelTranslationsMoveExactlyAndFillWhatTheyUncover() throws {
        for interpolation in Interpolation.allCases {
            #expect(try image.transformedAffine([1, 0, 0, 0, 1, 0], interpolation: interpolation, fill: [1, 2, 3]) == image)
            // Output x reads input x + 2: the image moves two pixels left, columns 4 and 5 are filled.
            let moved = try image.transformedAffine([1, 0, 2, 0, 1, 0], interpolation: interpolation, fill: [1, 2, 3])
            for y in 0..<5 {
                for x in 0..<6 {
                    #expect(moved.pixel(x: x, y: y) == (x < 4 ? image.pixel(x: x + 2, y: y) : [1, 2, 3]), "\(interpolation) (\(x), \(y))")
                }
            }
        }
    }

    @Test func aHalfTurnAboutTheCentreMirrorsBothAxes() throws {
        // PIL's rotation by 180° about (W/2, H/2): output p reads W − p (corner-based coordinates).
        let turned = try image.transformedAffine([-1, 0, 6, 0, -1, 5], interpolation: .bicubic, fill: [0, 0, 0])
        for y in 0..<5 { for x in 0..<6 { #expect(turned.pixel(x: x, y: y) == image.pixel(x: 5 - x, y: 4 - y)) } }
    }

    @Test func theFilterKeepsTheFrameAndAveragesInside() throws {
        let mean = try image.filtered3x3([Float](repeating: 1.0 / 9, count: 9))
        for y in 0..<5 {
            for x in 0..<6 {
                let inside = (1..<5).contains(x) && (1..<4).contains(y)
                // Inside, the mean of a linear ramp is its centre value.
                #expect(mean.pixel(x: x, y: y) == image.pixel(x: x, y: y), "(\(x), \(y)) inside: \(inside)")
            }
        }
        let shifted = try image.filtered3x3([0, 0, 0, 0, 0, 1, 0, 0, 0])
        #expect(shifted.pixel(x: 2, y: 2) == image.pixel(x: 3, y: 2) && shifted.pixel(x: 0, y: 2) == image.pixel(x: 0, y: 2))
    }

    @Test func badArgumentsAreErrors() {
        #expect(throws: VideoError.self) { try image.transformedAffine([1, 0, 0], interpolation: .bilinear, fill: [0, 0, 0]) }
        #expect(throws: VideoError.self) { try image.transformedAffine([1, 0, 0, 0, 1, 0], interpolation: .bilinear, fill: [0]) }
        #expect(throws: VideoError.self) { try image.filtered3x3([1, 2]) }
    }

    @Test func blendsTruncateAndClampAsPillow() {
        let a = Image(width: 1, height: 1, format: .rgb, pixels: [10, 200, 100])
        let base = Image(width: 1, height: 1, format: .rgb, pixels: [0, 100, 100])
        // 0 + 0.55·10 = 5.5 → 5; 100 + 0.55·100 = 155; 100 stays. 1.9: 19, 290 → 255, 100.
        #expect(a.blended(from: base, factor: 0.55).pixels == [5, 155, 100])
        #expect(a.blended(from: base, factor: 1.9).pixels == [19, 255, 100])
        #expect(a.mapped([[UInt8]](repeating: (0..<256).map { UInt8(255 - $0) }, count: 3)).pixels == [245, 55, 155])
        #expect(a.histograms().map { $0.firstIndex(of: 1) } == [10, 200, 100])
    }
}
