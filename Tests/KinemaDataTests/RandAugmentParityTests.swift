import KinemaData
import KinemaTensor
import KinemaTestSupport
import KinemaVideo
import Testing

/// Every RandAugment operation against Pillow (through torchvision's functional ops on PIL
/// images; Tools/fixtures/gen_randaugment.py) on a smooth synthetic 40 × 30 image.
///
/// Tolerances, in levels of the 0…255 scale:
/// - Lookup-table operations (autocontrast, equalize, invert, posterize, solarize, solarize-add) and
///   PIL's blends with black, the mean or the smoothed image are the same integer and Float32
///   arithmetic: exact.
/// - The colour blend reads the luma image, which OpenCV computes with 14-bit weights where PIL
///   uses 16-bit ones: it differs by at most 1 on a few pixels, which moves the blend
///   `(1 − f) · luma + f · value` by |1 − f| ≤ 0.63 of a level before truncation: within 1.
/// - Geometry: Pillow truncates its bicubic value (error in (−1, 0]) where OpenCV rounds (±½);
///   its affine kernel is a = −1 where OpenCV's is −0.75, a difference of at most
///   0.25 · max_d d(1 − d)|2d − 1| · 2 ≈ 0.048 levels per level of the largest step g between
///   neighbours; and OpenCV places the source point to 1/32 pixel (g/64). So
///   |Δ| < 1.5 + 0.064 · g everywhere, and, the kernel and placement terms being small on most
///   pixels, within 1 on all but 1 % of them.
@Suite struct RandAugmentParityTests {
    private let file: Safetensors.Contents
    private let input: Image

    init() throws {
        file = try fixture("randaugment")
        input = try Self.image(file.tensor("input"))
    }

    private static func image(_ tensor: Tensor) throws -> Image {
        #expect(tensor.rank == 3 && tensor.size(2) == 3)
        return Image(width: tensor.size(1), height: tensor.size(0), format: .rgb, pixels: tensor.array(of: UInt8.self))
    }

    private func argument(_ name: String) throws -> Double { try file.tensor("\(name).arg").array(of: Double.self)[0] }

    /// The largest absolute difference between neighbours, along x plus along y.
    private var largestStep: Int {
        func step(_ dx: Int, _ dy: Int) -> Int {
            var largest = 0
            for y in 0..<(input.height - dy) {
                for x in 0..<(input.width - dx) {
                    for c in 0..<3 {
                        largest = max(largest, abs(Int(input.pixel(x: x, y: y)[c]) - Int(input.pixel(x: x + dx, y: y + dy)[c])))
                    }
                }
            }
            return largest
        }
        return step(1, 0) + step(0, 1)
    }

    /// Checks `operation` against case `name`: every pixel within `bound`, and at most `share` of
    /// them more than 1 level away.
    private func check(
        _ name: String, _ operation: RandAugmentOperation, bound: Int, share: Double = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = try Self.image(file.tensor("\(name).out"))
        let actual = try operation.apply(to: input)
        #expect(actual.width == expected.width && actual.height == expected.height, sourceLocation: sourceLocation)
        let differences = zip(actual.pixels, expected.pixels).map { abs(Int($0) - Int($1)) }
        let worst = differences.max() ?? 0
        let beyondOne = Double(differences.filter { $0 > 1 }.count) / Double(differences.count)
        #expect(worst <= bound, "\(name): largest difference \(worst) > \(bound)", sourceLocation: sourceLocation)
        #expect(beyondOne <= share, "\(name): \(beyondOne * 100) % of the values differ by more than 1", sourceLocation: sourceLocation)
    }

    @Test func lookupTableOperationsAreExact() throws {
        try check("autocontrast", .autoContrast, bound: 0)
        try check("equalize", .equalize, bound: 0)
        try check("invert", .invert, bound: 0)
        for bits in [1, 2, 4] { try check("posterize_\(bits)", .posterize(bits: Int(try argument("posterize_\(bits)"))), bound: 0) }
        for threshold in [77, 179] {
            try check("solarize_\(threshold)", .solarize(threshold: Int(try argument("solarize_\(threshold)"))), bound: 0)
        }
        try check("solarize_add_77", .solarizeAdd(Int(try argument("solarize_add_77"))), bound: 0)
    }

    @Test func enhancementsBlendAsPillowDoes() throws {
        for level in ["0p37", "1p63"] {
            try check("contrast_\(level)", .contrast(try argument("contrast_\(level)")), bound: 0)
            try check("brightness_\(level)", .brightness(try argument("brightness_\(level)")), bound: 0)
            try check("sharpness_\(level)", .sharpness(try argument("sharpness_\(level)")), bound: 0)
            try check("color_\(level)", .color(try argument("color_\(level)")), bound: 1)
        }
    }

    @Test func geometryMatchesPillowWithinTheInterpolationBound() throws {
        let bound = Int(1.5 + 0.064 * Double(largestStep))
        #expect(bound <= 3, "the synthetic image is meant to be smooth (largest step \(largestStep))")
        for name in ["rotate_21", "rotate_m27p5"] { try check(name, .rotate(degrees: try argument(name)), bound: bound, share: 0.01) }
        for name in ["shear_x_0p21", "shear_x_m0p3"] { try check(name, .shearX(try argument(name)), bound: bound, share: 0.01) }
        for name in ["shear_y_0p21", "shear_y_m0p3"] { try check(name, .shearY(try argument(name)), bound: bound, share: 0.01) }
        for name in ["translate_x_0p315", "translate_x_m0p2"] {
            try check(name, .translateX(try argument(name)), bound: bound, share: 0.01)
        }
        for name in ["translate_y_0p315", "translate_y_m0p2"] {
            try check(name, .translateY(try argument(name)), bound: bound, share: 0.01)
        }
    }
}
