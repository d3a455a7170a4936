import KinemaPretext
import KinemaTestSupport
import KinemaVideo
import Testing

/// Per-frame colour operations against the official float formulas (gen_mosi.py, checked against
/// TAdaConv's transformations module): ours round once to bytes, so each value must be the
/// reference's rounded to the nearest byte, up to Float32 noise right at a rounding midpoint.
@Test(arguments: ["brightness", "contrast", "saturation", "hue", "hue_half", "grayscale", "chain", "gray_chain"])
func colorOperationsMatchTheOfficialFormulas(name: String) throws {
    let fx = try mosiFixture()
    let input = try fx.bytes("color.input")
    let (frames, height, width) = (3, 6, 7)
    let frameBytes = height * width * 3
    let stepKeys = fx.tensors.keys.filter { $0.hasPrefix("color.\(name).") && $0 != "color.\(name).out" }
        .sorted { Int($0.split(separator: ".")[2])! < Int($1.split(separator: ".")[2])! }
    #expect(!stepKeys.isEmpty)
    let steps: [MoSIColorStep] = try stepKeys.map { key in
        let factors = try fx.floats(key)
        switch key.split(separator: ".")[3] {
        case "brightness": return .brightness(factors)
        case "contrast": return .contrast(factors)
        case "saturation": return .saturation(factors)
        case "hue": return .hue(factors)
        default: return .grayscale
        }
    }
    let expected = try fx.floats("color.\(name).out")
    var worst: Float = 0
    for t in 0..<frames {
        let frame = Image(width: width, height: height, format: .rgb, pixels: Array(input[(t * frameBytes)..<((t + 1) * frameBytes)]))
        let ours = frame.adjusted(steps.map { $0.adjustment(frame: t) })
        for i in 0..<frameBytes {
            worst = max(worst, abs(Float(ours.pixels[i]) - expected[t * frameBytes + i] * 255))
        }
    }
    #expect(worst <= 0.5 + 2e-3, "worst |ours − 255 · reference| = \(worst) for \(name)")
}

@Test func noAdjustmentKeepsTheImage() {
    let image = texture(width: 9, height: 5)
    #expect(image.adjusted([]) == image)
    #expect(image.adjusted([.brightness(1), .saturation(1), .contrast(1), .hue(0)]) == image)
}

/// The region form computes only the region, yet equals the whole-image result cut to it — also
/// when a contrast (whose mean needs the whole image) comes first, last or in between, and for
/// widths that are not whole SIMD vectors.
@Test func regionAdjustmentEqualsTheCutWholeImage() throws {
    let image = texture(width: 37, height: 29).adjusted([.hue(0.3)])  // colourful, not just a ramp
    let chains: [[ColorAdjustment]] = [
        [.grayscale], [.hue(0.2), .saturation(1.4)], [.contrast(0.6)], [.contrast(1.3), .hue(-0.2)],
        [.brightness(1.3), .hue(0.1), .contrast(0.7)], [.saturation(0.5), .contrast(1.5), .brightness(0.8), .contrast(0.9), .hue(0.4)],
    ]
    for chain in chains {
        let whole = image.adjusted(chain)
        for (x, y, w, h) in [(0, 0, 37, 29), (3, 5, 11, 7), (30, 20, 7, 9), (1, 0, 1, 1)] {
            let region = image.adjusted(chain, x: x, y: y, width: w, height: h)
            #expect(region == (try whole.cropped(x: x, y: y, width: w, height: h)), "\(chain) at (\(x), \(y)) \(w)x\(h)")
        }
    }
}
