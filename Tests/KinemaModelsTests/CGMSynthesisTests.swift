import KinemaMediaTestSupport
import KinemaModels
import KinemaTestSupport
import KinemaVideo
import Testing

// Eq. 1 of CGM-Net (Tian et al., ECCV 2020): Kinema's unfold-based synthesis against
// gen_cgm.py's direct double loop over the taps (explicitly shifted slices), and one-hot filters
// that must move a real photo by an exact number of pixels.
@Suite struct CGMSynthesisTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("cgm") }

    /// float32 against the float64 loop: each output adds k² products of a tap and a pixel, each
    /// frame gradient k² products of a tap and an upstream gradient, each map gradient C products
    /// of a pixel and an upstream gradient (Float32Tolerance).
    @Test(arguments: [3, 5])
    func synthesisIsTheDirectDoubleLoop(kernel: Int) throws {
        let name = "synth\(kernel)"
        let frames = try fx.tensor("\(name).frames").copied().requiringGrad()
        let maps = try fx.tensor("\(name).maps").copied().requiringGrad()
        let gradOut = try fx.tensor("\(name).grad_out")
        let out = frames.synthesised(withMotionMaps: maps)
        let terms = kernel * kernel * frames.shape[1]
        let forward = Float32Tolerance.sums(of: terms, magnitude: Float32Tolerance.termMagnitude([frames, maps]))
        expectClose(out, try fx.tensor("\(name).out"), rtol: 0, atol: forward, "Eq. 1, k = \(kernel)")
        out.backward(gradOut)
        let backward = Float32Tolerance.sums(
            of: terms, magnitude: Float32Tolerance.termMagnitude([frames, maps, gradOut]))
        expectClose(try #require(frames.grad), try fx.tensor("\(name).grad_frames"), rtol: 0, atol: backward, "grad frames")
        expectClose(try #require(maps.grad), try fx.tensor("\(name).grad_maps"), rtol: 0, atol: backward, "grad maps")
    }

    /// A filter whose only non-zero tap is a 1 at (dx, dy) moves the image dx right and dy down:
    /// exactly the rolled image where the source is inside, zeros where the shift brings in padding.
    @Test(arguments: [(1, 0), (0, 1), (-1, -1), (2, -1), (-2, 2), (0, 0)])
    func aOneHotFilterShiftsAPhoto(dx: Int, dy: Int) throws {
        let photo = try TestData.photo("chelsea", width: 64, height: 48)
        let (h, w) = (photo.height, photo.width)
        let image = Tensor(photo.pixels.map { Float($0) / 255 }, shape: [h, w, 3]).permuted([2, 0, 1]).unsqueezed(0)
        let kernel = 5
        let maps = Tensor.zeros([1, kernel * kernel, h, w])
        maps[.all, MotionMapSynthesis.channel(dx: dx, dy: dy, kernel: kernel)] = Tensor.ones([h, w])
        let out = image.synthesised(withMotionMaps: maps)

        let rows = Swift.max(dy, 0)..<(h + Swift.min(dy, 0))
        let columns = Swift.max(dx, 0)..<(w + Swift.min(dx, 0))
        let rolled = image.rolled(shifts: [dy, dx], dims: [2, 3])
        expectIdentical(out[.all, .all, rows, columns], rolled[.all, .all, rows, columns], "shift (\(dx), \(dy))")
        let inside = Tensor.zeros([1, 3, h, w])
        inside[.all, .all, rows, columns] = Tensor.ones([1, 3, rows.count, columns.count])
        #expect(out.multiply(1 - inside).abs().max().item(Float.self) == 0, "padding reads as zero")
        #expect(out[.all, .all, rows, columns].abs().max().item(Float.self) > 0)
    }

    @Test func mapsMustHaveOddSquareTapsAndTheFramesSize() {
        let frames = Tensor.zeros([1, 3, 4, 4])
        #expect(throws: TorchError.self) { try frames.checked.synthesised(withMotionMaps: Tensor.zeros([1, 8, 4, 4])) }
        #expect(throws: TorchError.self) { try frames.checked.synthesised(withMotionMaps: Tensor.zeros([1, 4, 4, 4])) }
        #expect(throws: TorchError.self) { try frames.checked.synthesised(withMotionMaps: Tensor.zeros([1, 9, 4, 5])) }
        #expect(MotionMapSynthesis.channel(dx: -1, dy: -1, kernel: 3) == 0)
        #expect(MotionMapSynthesis.channel(dx: 1, dy: 0, kernel: 3) == 5)
        #expect(MotionMapSynthesis.channel(dx: 0, dy: 1, kernel: 3) == 7)
    }
}
