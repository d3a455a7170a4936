import KinemaModels
import KinemaTestSupport
import Testing

// CGMUL (Eqs. 2–5) against gen_cgm.py's literal reference, and the unlearned "dilated" baselines
// of §4.3 (Tables 6–7) against their analytic taps.
@Suite struct CGMUpsamplingTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("cgm") }

    /// The reference computes Eq. 2 as a loop over the taps and Eq. 5 index by index with the
    /// convolution's rows re-ordered as Eq. 5 reads them; Kinema uses unfold and libtorch's
    /// pixel_shuffle on the rows as stored. Agreement checks Eq. 2 and that the two orders are one
    /// permutation apart (CGMUL's documentation). float64 (CGMTestSupport's tolerance).
    @Test func cgmulIsEquationsTwoToFive() throws {
        let layer = try ContextGuidedUpsampling(ParameterStore(dtype: .float64).root, channels: 2, scale: 2, kernel: 5)
        try layer.loadStateDict(fx.subset("cgmul.state."))
        let context = try fx.tensor("cgmul.context").to(.float64).requiringGrad()
        let motion = try fx.tensor("cgmul.motion").to(.float64).requiringGrad()
        let maps = try fx.tensor("cgmul.maps").to(.float64).requiringGrad()
        expectStoredFloat64(
            ContextGuidedUpsampling.similarity(context: context, motion: motion, maps: maps),
            try fx.tensor("cgmul.similarity"), "S (Eq. 2)")
        let out = layer(context: context, motion: motion, maps: maps)
        expectStoredFloat64(out, try fx.tensor("cgmul.out"), "M_HR (Eq. 5)")
        out.backward(try fx.tensor("cgmul.grad_out").to(.float64))
        for (name, leaf) in [("context", context), ("motion", motion), ("maps", maps)] {
            expectStoredFloat64(try #require(leaf.grad), try fx.tensor("cgmul.grad_\(name)"), "grad \(name)")
        }
        let parameters = Dictionary(uniqueKeysWithValues: layer.namedParameters().map { ($0.name, $0.tensor) })
        for (key, expected) in fx.subset("cgmul.grad.") {
            expectStoredFloat64(try #require(parameters[key]?.grad), expected, "grad \(key)")
        }
    }

    /// Low-resolution maps `[1, 9, 2, 3]` (k = 3) whose tap (m, n) at pixel (x, y) is
    /// 100·channel + 10·y + x, and the high-resolution filter index of a low-resolution tap.
    private func numberedMaps() -> Tensor {
        var values: [Double] = []
        for c in 0..<9 {
            for y in 0..<2 {
                for x in 0..<3 { values.append(Double(100 * c + 10 * y + x)) }
            }
        }
        return Tensor(values, shape: [1, 9, 2, 3])
    }

    /// Nearest: HR pixel (x, y) carries LR pixel (⌊x/r⌋, ⌊y/r⌋)'s tap (m, n) at offset (r·m, r·n),
    /// zeros elsewhere (k̂ = r(k − 1) + 1).
    @Test(arguments: [2, 3])
    func nearestDilatesEachFilterWithZeroHoles(scale: Int) {
        let hr = MotionUpsampling.nearest.upsampledWithHoles(numberedMaps(), scale: scale)
        let hrKernel = scale * 2 + 1
        #expect(hr.shape == [1, hrKernel * hrKernel, 2 * scale, 3 * scale])
        let values = hr.array(of: Double.self)
        let (height, width) = (2 * scale, 3 * scale)
        var mismatches = 0
        for channel in 0..<(hrKernel * hrKernel) {
            let (dy, dx) = (channel / hrKernel - hrKernel / 2, channel % hrKernel - hrKernel / 2)
            for y in 0..<height {
                for x in 0..<width {
                    let got = values[(channel * height + y) * width + x]
                    var expected = 0.0
                    if dx % scale == 0, dy % scale == 0 {
                        let lr = MotionMapSynthesis.channel(dx: dx / scale, dy: dy / scale, kernel: 3)
                        expected = Double(100 * lr + 10 * (y / scale) + x / scale)
                    }
                    if got != expected { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
    }

    /// Bilinear (align_corners=False, r = 2): HR row 1 sits at LR row 0.25, so an LR tap 10·y + …
    /// becomes 0.75·v(0) + 0.25·v(1); the holes stay zero and the taps' sum is kept.
    @Test func bilinearInterpolatesEachTapAndKeepsTheHoles() {
        let hr = MotionUpsampling.bilinear.upsampledWithHoles(numberedMaps(), scale: 2)
        #expect(hr.shape == [1, 25, 4, 6])
        // Tap (m, n) = (1, -1) is LR channel 2, HR offset (2, -2): channel (0)·5 + 4 = 4.
        let atRow1Column2: Double = hr[0, MotionMapSynthesis.channel(dx: 2, dy: -2, kernel: 5), 1, 2]
        // Column 2 sits at LR column 0.75: 0.25·x0 + 0.75·x1 = 0.75; row 1 at 0.25: 0.25·10.
        #expect(Swift.abs(atRow1Column2 - (200 + 2.5 + 0.75)) < 1e-12)
        let holes: Double = hr[0, MotionMapSynthesis.channel(dx: 1, dy: 0, kernel: 5)].abs().max().item()
        #expect(holes == 0)
        let softmax = numberedMaps().divide(Tensor(scalar: 1000.0)).softmax(dim: 1)
        let sums = MotionUpsampling.bilinear.upsampledWithHoles(softmax, scale: 2).sum(dims: [1])
        expectClose(sums, Tensor.ones([1, 4, 6], dtype: .float64), rtol: 0, atol: 1e-12, "normalised taps stay normalised")
    }

    /// A one-pixel LR displacement dilated by r moves the full-resolution frame by r pixels.
    @Test func aDilatedOneHotFilterShiftsByTheScale() {
        let maps = Tensor.zeros([1, 9, 4, 4])
        maps[.all, MotionMapSynthesis.channel(dx: 1, dy: 0, kernel: 3)] = Tensor.ones([4, 4])
        let hr = MotionUpsampling.nearest.upsampledWithHoles(maps, scale: 4)
        let frame = Tensor.randn([1, 3, 16, 16])
        let moved = frame.synthesised(withMotionMaps: hr)
        expectIdentical(moved[.all, .all, .all, 4...], frame[.all, .all, .all, ..<12], "moved 4 pixels right")
    }
}
