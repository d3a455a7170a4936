import KinemaTensor
import KinemaTestSupport
import KinemaTrain
import KinemaVideo
import Testing

/// The metrics of CGM-Net's Table 1 against numpy (ℓ1) and scikit-image 0.26 (PSNR, SSIM with its
/// defaults) on real frames: Tests/Fixtures/cgm_eval.safetensors, written by
/// Tools/fixtures/gen_cgm_eval.py.
@Suite struct CGMFrameQualityTests {
    static let cases = ["carphone_next", "carphone_far", "vtest_next", "noise", "shift_crop", "gray_next", "tiny"]

    /// The stored uint8 image `<case>.a` or `.b` ([H, W, C] or [H, W]).
    static func image(_ contents: Safetensors.Contents, _ name: String) throws -> Image {
        let tensor = try contents.tensor(name)
        let shape = tensor.shape
        let format: PixelFormat = shape.count == 2 ? .gray : .rgb
        return Image(width: shape[1], height: shape[0], format: format, pixels: tensor.array(of: UInt8.self))
    }

    // Tolerances from the arithmetic. Kinema sums exact integers and rounds once at the end; numpy
    // and scikit-image round every term of float64 sums of at most 112·112·3 values, so ℓ1 and
    // PSNR agree to a few times log2(n)·ε relative (1e-12 is ~100× that). SSIM: scikit-image's
    // float64 box filters of 8-bit moments (up to 255² = 65025) carry about 10 roundings, ≤ 1.5e-10
    // in a variance; the SSIM formula divides it by at least C2 = (0.03·255)² ≈ 58.5, so each
    // pixel's value, and their mean, is off by ≤ 3e-12: 1e-10 absolute leaves a wide margin.
    @Test(arguments: cases)
    func matchesNumpyAndScikitImage(_ name: String) throws {
        let contents = try fixture("cgm_eval")
        let (a, b) = (try Self.image(contents, "\(name).a"), try Self.image(contents, "\(name).b"))
        let expected = (
            l1: try contents.tensor("\(name).l1").item(Double.self), psnr: try contents.tensor("\(name).psnr").item(Double.self),
            ssim: try contents.tensor("\(name).ssim").item(Double.self))
        let l1 = try FrameQuality.l1Error(a, b)
        let psnr = try FrameQuality.psnr(a, b)
        let ssim = try FrameQuality.ssim(a, b)
        #expect(abs(l1 - expected.l1) <= 1e-12 * expected.l1, "l1 \(l1) vs numpy \(expected.l1)")
        #expect(abs(psnr - expected.psnr) <= 1e-12 * expected.psnr, "PSNR \(psnr) vs scikit-image \(expected.psnr)")
        #expect(abs(ssim - expected.ssim) <= 1e-10, "SSIM \(ssim) vs scikit-image \(expected.ssim)")
    }

    @Test func identicalImagesHaveNoErrorAndInfinitePSNR() throws {
        let contents = try fixture("cgm_eval")
        let a = try Self.image(contents, "carphone_next.a")
        #expect(try FrameQuality.l1Error(a, a) == 0)
        #expect(try FrameQuality.psnr(a, a) == .infinity)
        #expect(abs(try FrameQuality.ssim(a, a) - 1) <= 1e-12)
        // The extremes of the ℓ1 error on [−1, 1]: black against white is 2.
        let black = Image(width: 8, height: 8, format: .rgb, filledWith: [0, 0, 0])
        let white = Image(width: 8, height: 8, format: .rgb, filledWith: [255, 255, 255])
        #expect(try FrameQuality.l1Error(black, white) == 2)
        #expect(try FrameQuality.psnr(black, white) == 0)
    }

    @Test func mismatchedOrTooSmallImagesAreRefused() throws {
        let rgb = Image(width: 8, height: 8, format: .rgb, filledWith: [1, 2, 3])
        let gray = Image(width: 8, height: 8, format: .gray, filledWith: [1])
        let wide = Image(width: 9, height: 8, format: .rgb, filledWith: [1, 2, 3])
        let small = Image(width: 6, height: 9, format: .rgb, filledWith: [1, 2, 3])
        for (a, b) in [(rgb, gray), (rgb, wide)] {
            #expect(throws: VideoError.self) { try FrameQuality.l1Error(a, b) }
            #expect(throws: VideoError.self) { try FrameQuality.psnr(a, b) }
            #expect(throws: VideoError.self) { try FrameQuality.ssim(a, b) }
        }
        let error = #expect(throws: VideoError.self) { try FrameQuality.ssim(small, small) }
        #expect(error?.description.contains("at least 7x7") == true, "\(String(describing: error))")
    }
}
