import KinemaMotion
import KinemaVideo
import Testing

@testable import KinemaVisualize

@Suite struct PictureTests {
    /// Reference colours: `cv::applyColorMap` of the 8-bit levels below with COLORMAP_JET and
    /// COLORMAP_TURBO (OpenCV 4.6, converted to RGB). Jet is the same formula (rounding aside);
    /// our Turbo interpolates 17 of the 256 entries, hence the wider tolerance in between.
    static let openCV: [ColorMap: (tolerance: Int, samples: [(level: Int, rgb: [Int])])] = [
        .jet: (1, [(0, [0, 0, 128]), (40, [0, 32, 255]), (100, [18, 255, 238]), (128, [130, 255, 126]),
                   (200, [255, 92, 0]), (255, [128, 0, 0])]),
        .turbo: (7, [(0, [48, 18, 59]), (40, [70, 128, 246]), (100, [63, 246, 138]), (128, [164, 252, 60]),
                     (200, [244, 102, 23]), (255, [122, 4, 3])]),
    ]

    @Test(arguments: ColorMap.allCases)
    func colorMapsMatchOpenCV(_ map: ColorMap) throws {
        let (tolerance, samples) = try #require(Self.openCV[map])
        for (level, rgb) in samples {
            let c = map.color(Float(level) / 255)
            let got = [Int(c.r), Int(c.g), Int(c.b)]
            let allowed = level == 0 || level == 255 ? 0 : tolerance  // the endpoints are exact
            #expect(zip(got, rgb).allSatisfy { abs($0 - $1) <= allowed }, "\(map) at \(level): \(got) vs \(rgb)")
        }
        // Out-of-range values clamp to the endpoints.
        #expect(map.color(-3) == map.color(0) && map.color(.nan) == map.color(0) && map.color(7) == map.color(1))
        #expect(map.table.count == 256)
    }

    /// `out = (1 − α) · image + α · colour`: for α = 0.25, pixel (100, 50, 200) under jet(0) =
    /// (0, 0, 128) → (75, 37.5, 182) and (10, 20, 30) under jet(1) = (128, 0, 0) → (39.5, 15, 22.5),
    /// rounded half away from zero.
    @Test func overlayBlendsByAlpha() throws {
        let image = Image(width: 2, height: 1, format: .rgb, pixels: [100, 50, 200, 10, 20, 30])
        let heat = try HeatMap(width: 2, height: 1, values: [0, 1])
        #expect(try image.overlaid(with: heat, alpha: 0.25).pixels == [75, 38, 182, 40, 15, 23])
        #expect(try image.overlaid(with: heat, alpha: 0) == image)
        #expect(try image.overlaid(with: heat, alpha: 1).pixels == [0, 0, 128, 128, 0, 0])
        #expect(try image.converted(to: .gray).overlaid(with: heat, alpha: 0).format == .rgb)
        #expect(throws: VisualizeError.self) { try image.overlaid(with: try HeatMap(width: 1, height: 2, values: [0, 1])) }
        #expect(throws: VisualizeError.self) { try image.overlaid(with: heat, alpha: 1.5) }
    }

    @Test func heatMapsClampAndCheckTheirSize() throws {
        let map = try HeatMap(width: 2, height: 2, values: [-1, 0.5, 2, .nan])
        #expect(map.values == [0, 0.5, 1, 0])
        let pixels = map.colorized(.jet).pixels
        let (low, half, high) = (ColorMap.jet.color(0), ColorMap.jet.color(128.0 / 255), ColorMap.jet.color(1))
        #expect(pixels == [low, half, high, low].flatMap { [$0.r, $0.g, $0.b] })
        #expect(throws: VisualizeError.self) { try HeatMap(width: 2, height: 2, values: [0, 1]) }
    }

    /// |(3, 4)| = 5 is the peak, |(0, 1.5)| = 1.5 → 0.3; unknown vectors count as still.
    @Test func flowMagnitudeIsNormalisedByItsPeak() throws {
        let flow = FlowField(width: 4, height: 1, vectors: [3, 4, 0, 1.5, 0, 0, .nan, 0])
        #expect(HeatMap(flowMagnitudeOf: flow).values == [1, 0.3, 0, 0])
        #expect(HeatMap(flowMagnitudeOf: FlowField(width: 3, height: 2)).values == [Float](repeating: 0, count: 6))
    }

    @Test func mosaicLaysTilesOutWithGaps() throws {
        let red = Image(width: 2, height: 1, format: .rgb, filledWith: [255, 0, 0])
        let blue = Image(width: 2, height: 1, format: .gray, filledWith: [9])
        let grid = try Image.mosaic([[red, blue], [blue]], gap: 1, background: [1, 2, 3])
        #expect(grid.width == 5 && grid.height == 3)
        #expect(grid.pixel(x: 1, y: 0) == [255, 0, 0])
        #expect(grid.pixel(x: 2, y: 0) == [1, 2, 3])  // the gap
        #expect(grid.pixel(x: 3, y: 0) == [9, 9, 9])
        #expect(grid.pixel(x: 0, y: 1) == [1, 2, 3])
        #expect(grid.pixel(x: 0, y: 2) == [9, 9, 9])
        #expect(grid.pixel(x: 4, y: 2) == [1, 2, 3])  // the short row's blank end
        let padded = try red.padded(width: 3, height: 2, background: [0, 0, 7])
        #expect(padded.pixels == [255, 0, 0, 255, 0, 0, 0, 0, 7] + [0, 0, 7, 0, 0, 7, 0, 0, 7])
        #expect(throws: VisualizeError.self) { try red.padded(width: 1, height: 1) }
        #expect(throws: VisualizeError.self) { try Image.mosaic([]) }
        #expect(throws: VisualizeError.self) { try Image.mosaic([[red, Image(width: 1, height: 1, format: .rgb, filledWith: [0, 0, 0])]]) }
    }
}
