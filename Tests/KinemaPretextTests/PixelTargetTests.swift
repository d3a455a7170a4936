import KinemaData
import KinemaPretext
import KinemaTensor
import KinemaTestSupport
import Testing

/// The pixel target's layout, checked element by element on a small clip, and the mask indices.
@Suite struct PixelTargetTests {
    @Test func tokensHoldTheirTubesPixelsInTimeRowColumnChannelOrder() throws {
        let (n, c, t, h, w, tubelet, patch) = (2, 3, 4, 4, 6, 2, 2)
        let clip = Tensor.randn([n, c, t, h, w], generator: try Generator(seed: 1)).to(.float64)
        let target = PixelTarget(tubelet: tubelet, patch: patch, normalization: .kinetics, normalisePerPatch: false)
        let tokens = target(clip).array(of: Double.self)
        let pixels = clip.array(of: Double.self)
        #expect(target.channels == tubelet * patch * patch * c)
        let (gh, gw) = (h / patch, w / patch)
        var mismatches = 0
        for b in 0..<n {
            for ch in 0..<c {
                for z in 0..<t {
                    for y in 0..<h {
                        for x in 0..<w {
                            // Undo the Kinetics normalisation (0.45 / 0.225 on every channel, as Floats).
                            let position: Int = (((b * c + ch) * t + z) * h + y) * w + x
                            let pixel: Double = pixels[position] * Double(Float(0.225)) + Double(Float(0.45))
                            let token: Int = ((z / tubelet) * gh + y / patch) * gw + x / patch
                            let inner: Int = (((z % tubelet) * patch + y % patch) * patch + x % patch) * c + ch
                            let value: Double = tokens[(b * (t / tubelet) * gh * gw + token) * target.channels + inner]
                            if abs(value - pixel) > 1e-12 { mismatches += 1 }
                        }
                    }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func perPatchNormalisationStandardisesEachChannelOfATube() throws {
        let clip = Tensor.randn([1, 3, 2, 4, 4], generator: try Generator(seed: 2)).to(.float64)
        let tokens = PixelTarget(tubelet: 2, patch: 2, normalization: .imagenet)(clip).reshaped([1, 4, 8, 3])
        // Each (token, channel) over its 2·2·2 values: mean 0, unbiased std 1 (less the 1e-6).
        expectClose(tokens.mean(dims: [2]), Tensor.zeros([1, 4, 3], dtype: .float64), atol: 1e-12)
        expectClose(tokens.variance(dims: [2]).sqrt(), Tensor.ones([1, 4, 3], dtype: .float64), atol: 1e-5)
    }

    @Test func masksBecomeAscendingVisibleAndMaskedIndices() throws {
        let masks = [[true, false, false, true], [false, true, true, false]]
        let tokens = try MaskedTokens(masks)
        #expect(tokens.visible.array(of: Int64.self) == [1, 2, 0, 3] && tokens.visible.shape == [2, 2])
        #expect(tokens.masked.array(of: Int64.self) == [0, 3, 1, 2] && tokens.masked.shape == [2, 2])
        #expect(throws: MaskingError.self) { try MaskedTokens([[true, false], [true, true]]) }
        #expect(throws: MaskingError.self) { try MaskedTokens([]) }
    }
}
