import KinemaMediaTestSupport
import KinemaMotion
import Testing

@Suite struct HOGTests {
    let fixture: MotionFixture
    init() throws { fixture = try MotionFixture() }

    /// The crops and parameters of gen_motion.py's HOG_CASES.
    static let cases: [(name: String, photo: String, format: PixelFormat, rows: Range<Int>, cols: Range<Int>, parameters: HOG.Parameters)] = {
        var rgbL1 = HOG.Parameters()
        (rgbL1.pixelsPerCell, rgbL1.cellsPerBlock, rgbL1.blockNorm) = ([16, 16], [2, 2], .l1)
        var odd = HOG.Parameters()
        (odd.orientations, odd.pixelsPerCell, odd.cellsPerBlock, odd.blockNorm, odd.transformSqrt) = (12, [7, 5], [2, 3], .l2, true)
        var sqrt = HOG.Parameters()
        (sqrt.orientations, sqrt.pixelsPerCell, sqrt.cellsPerBlock, sqrt.blockNorm) = (8, [6, 6], [1, 1], .l1Sqrt)
        return [
            ("camera_default", "camera", .gray, 100..<230, 150..<300, HOG.Parameters()),
            ("astronaut_rgb_l1", "astronaut", .rgb, 40..<200, 60..<220, rgbL1),
            ("chelsea_odd_sqrt_l2", "chelsea", .rgb, 20..<111, 30..<163, odd),
            ("camera_l1sqrt", "camera", .gray, 300..<371, 10..<103, sqrt),
        ]
    }()

    @Test(arguments: cases.map(\.name))
    func matchesScikitImage(name: String) throws {
        let c = Self.cases.first { $0.name == name }!
        let photo = try TestData.photo(c.photo, format: c.format)
        let crop = try photo.cropped(x: c.cols.lowerBound, y: c.rows.lowerBound, width: c.cols.count, height: c.rows.count)
        let hog = try HOG.skimage(crop, c.parameters)
        // Same float64 arithmetic and float32 cell sums as scikit-image: only summation order and
        // libm rounding can differ.
        expectClose(hog.features, try fixture.doubles("hog.\(name)"), rtol: 1e-9, atol: 1e-12, "skimage HOG \(name)")
    }

    @Test func cellHOGMatchesTheTorchDefinition() throws {
        let photo = try TestData.photo("astronaut")
        let crop = try photo.cropped(x: 200, y: 100, width: 96, height: 64)
        let cells = try HOG.cells(crop, cellSize: 8, bins: 9)
        // float32 in both; atan2 and sqrt implementations differ in the last ulp.
        expectClose(cells, try fixture.floats("cell_hog.astronaut"), rtol: 1e-4, atol: 1e-3, "cell HOG")
    }

    @Test func cellHOGVotesAlongTheGradient() throws {
        // A vertical step edge: gradients point along x, orientation 0 → all votes in bin 0.
        var pixels = [UInt8](repeating: 0, count: 16 * 16)
        for y in 0..<16 { for x in 8..<16 { pixels[y * 16 + x] = 200 } }
        let cells = try HOG.cells(Image(width: 16, height: 16, format: .gray, pixels: pixels), cellSize: 8, bins: 9)
        #expect(cells.count == 2 * 2 * 9)
        for cell in 0..<4 {
            let h = Array(cells[(cell * 9)..<(cell * 9 + 9)])
            #expect(h.dropFirst().allSatisfy { $0 == 0 }, "cell \(cell): \(h)")
        }
        #expect(cells[0] > 0 && cells[9] > 0)
    }

    @Test func badParametersThrow() throws {
        let tiny = Image(width: 10, height: 10, format: .gray, filledWith: [5])
        #expect(throws: MotionError.self) { try HOG.skimage(tiny) }  // needs 24 × 24 for 3 × 3 blocks of 8 px
        var p = HOG.Parameters()
        p.pixelsPerCell = [0, 8]
        #expect(throws: MotionError.self) { try HOG.skimage(tiny, p) }
        #expect(throws: MotionError.self) { try HOG.cells(tiny, cellSize: 16) }
    }
}
