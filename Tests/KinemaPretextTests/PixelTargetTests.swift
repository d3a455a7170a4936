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

/// The pictures of the masked autoencoder: the reconstruction from perfect predictions is the clip,
/// the masked input greys exactly the masked tubes, and the patch-mean predictor is each tube's mean.
@Suite struct PixelTargetPictureTests {
    let clip = Tensor.randn([2, 3, 4, 32, 48], generator: try! Generator(seed: 5)).to(.float64)
    // 2 × 2 × 3 tokens; clip 0 masks tokens 1, 4, 7, 10, clip 1 masks 0, 5, 6, 11.
    let masks: [[Bool]] = [
        (0..<12).map { [1, 4, 7, 10].contains($0) }, (0..<12).map { [0, 5, 6, 11].contains($0) },
    ]

    @Test(arguments: [true, false]) func perfectPredictionsReconstructTheClip(normalised: Bool) throws {
        let target = PixelTarget(tubelet: 2, patch: 16, normalization: .imagenet, normalisePerPatch: normalised)
        let tokens = try MaskedTokens(masks)
        let reconstruction = target.reconstruction(tokens.maskedRows(of: target(clip)), masked: tokens.masked, clip: clip)
        expectClose(reconstruction, target.pixels(clip), rtol: 1e-9, atol: 1e-9)
    }

    @Test func theMaskedInputIsGreyExactlyOnTheMaskedTubes() throws {
        let target = PixelTarget(tubelet: 2, patch: 16, normalization: .imagenet, normalisePerPatch: true)
        let shown = target.maskedInput(clip, masks: masks, grey: 0.5)
        let pixels = target.pixels(clip)
        // Token k of clip n covers frames 2(k / 6)…, rows 16((k % 6) / 3)…, columns 16(k % 3)….
        for n in 0..<2 {
            for k in 0..<12 {
                let (t, y, x) = (2 * (k / 6), 16 * ((k % 6) / 3), 16 * (k % 3))
                let region = { (v: Tensor) in
                    v[n].narrowed(dim: 1, start: t, length: 2).narrowed(dim: 2, start: y, length: 16).narrowed(dim: 3, start: x, length: 16)
                }
                if masks[n][k] {
                    #expect((region(shown) - 0.5).abs().max().item(Double.self) == 0, "clip \(n) token \(k)")
                } else {
                    #expect(region(shown).isEqual(to: region(pixels)), "clip \(n) token \(k)")
                }
            }
        }
    }

    @Test func thePatchMeanPredictorIsEachTubesMeanColour() {
        let raw = PixelTarget(tubelet: 2, patch: 16, normalization: .imagenet, normalisePerPatch: false)
        let targets = raw(clip)  // [2, 12, 2·16·16·3], (t, y, x, channel) order
        let prediction = raw.patchMeanPrediction(targets)
        let perColour = targets.reshaped([2, 12, 512, 3]).mean(dims: [2], keepdim: true)
        expectClose(prediction.reshaped([2, 12, 512, 3]), perColour.expanded(to: [2, 12, 512, 3]), rtol: 1e-12, atol: 1e-12)
        let normalised = PixelTarget(tubelet: 2, patch: 16, normalization: .imagenet, normalisePerPatch: true)
        #expect(normalised.patchMeanPrediction(normalised(clip)).abs().max().item(Double.self) < 1e-12)
    }
}
