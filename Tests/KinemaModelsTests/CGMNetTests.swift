import KinemaModels
import KinemaTestSupport
import Testing

// The whole CGM-Net (Tian et al., ECCV 2020, §3.3) against gen_cgm.py's reference written from the
// paper, its parameter counts, shapes, and the reconstruction loss of §3.5.
@Suite struct CGMNetTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("cgm") }

    /// The reference's weights load strictly (Kinema's key names are the reference's), then eval-mode
    /// maps, train-mode maps, reconstructions, the loss and its gradients (float64, CGMTestSupport).
    @Test func tinyNetworkMatchesTheReference() throws {
        let net = try CGMNet(ParameterStore(dtype: .float64).root, tinyCGMConfiguration())
        try net.loadStateDict(fx.subset("net.state."))
        let frames = try fx.tensor("net.frames").to(.float64)
        let evaluated = withNoGrad { net(frames.narrowed(dim: 2, start: 0, length: 8), mode: .eval) }
        expectStoredFloat64(evaluated.lowResolutionMaps, try fx.tensor("net.eval.lr"), "eval LR maps")
        expectStoredFloat64(
            evaluated.highResolutionMaps[.all, 0, .all, ..<8], try fx.tensor("net.eval.hr0_top"), "eval HR maps")

        let leaf = frames.copied().requiringGrad()
        let output = net(leaf.narrowed(dim: 2, start: 0, length: 8), mode: .train)
        #expect(output.lowResolutionMaps.shape == [1, 8, 9, 8, 4])
        #expect(output.highResolutionMaps.shape == [1, 8, 25, 32, 16])
        expectStoredFloat64(output.lowResolutionMaps, try fx.tensor("net.lr"), "LR maps")
        expectStoredFloat64(output.highResolutionMaps[.all, 7], try fx.tensor("net.hr7"), "HR maps of the last frame")
        let clip = leaf.narrowed(dim: 2, start: 0, length: 8)
        expectStoredFloat64(output.reconstructions(of: clip)[.all, .all, 7], try fx.tensor("net.recon_hr7"), "HR frame T")
        expectStoredFloat64(output.lowResolutionReconstructions(of: clip), try fx.tensor("net.recon_lr"), "LR frames")
        let loss = CGMReconstructionLoss()(output, frames: leaf)
        expectStoredFloat64(loss.highResolution, try fx.tensor("net.loss_hr"), "L_HR")
        expectStoredFloat64(loss.lowResolution, try fx.tensor("net.loss_lr"), "L_LR")
        expectStoredFloat64(loss.total, try fx.tensor("net.loss"), "L")
        loss.total.backward()
        expectStoredFloat64(try #require(leaf.grad), try fx.tensor("net.grad_frames"), "grad frames")
        let parameters = Dictionary(uniqueKeysWithValues: net.namedParameters().map { ($0.name, $0.tensor) })
        let gradients = fx.subset("net.grad.")
        #expect(gradients.count == 8)
        for (key, expected) in gradients {
            expectStoredFloat64(try #require(parameters[key]?.grad, "no gradient for \(key)"), expected, "grad \(key)")
        }
    }

    /// Counts from gen_cgm.py's reference modules (torchvision's r3d_18 and resnet18 parts).
    @Test func parameterCountsAreTheReferenceOnes() throws {
        func reference(_ key: String) throws -> Int { Int(try fx.tensor("count.\(key)").item(Int64.self)) }
        #expect(try CGMNet(ParameterStore().root, CGMNetConfiguration()).parameterCount == reference("cgm_net"))
        var nearest = CGMNetConfiguration()
        nearest.upsampling = .nearest
        #expect(try CGMNet(ParameterStore().root, nearest).parameterCount == reference("cgm_net_nearest"))
        #expect(try CGMNet(ParameterStore().root, tinyCGMConfiguration()).parameterCount == reference("cgm_net_tiny"))
        #expect(try ActionCNN(ParameterStore().root, taps: 81, classes: 101).parameterCount == reference("action_cnn"))
    }

    @Test func parametersLiveUnderTheFourPrefixesAndTheEncoderKeepsItsOwnNames() throws {
        let net = try CGMNet(ParameterStore().root, tinyCGMConfiguration())
        let keys = Set(net.stateDict().keys)
        let prefixes = ["encoder.", "decoder.", "context.", "upsampler."]
        #expect(keys.allSatisfy { key in prefixes.contains { key.hasPrefix($0) } })
        let encoder = Set(keys.filter { $0.hasPrefix("encoder.") }.map { String($0.dropFirst("encoder.".count)) })
        let backbone = try ModelName.r3d18Tiny.make(ParameterStore().root, width: 2)
        #expect(encoder == Set(backbone.stateDict().keys))
        var nearest = tinyCGMConfiguration()
        nearest.upsampling = .nearest
        nearest.hrKernel = 9
        let baseline = try CGMNet(ParameterStore().root, nearest)
        #expect(baseline.context == nil && baseline.upsampler == nil)
        #expect(!baseline.stateDict().keys.contains { $0.hasPrefix("context.") || $0.hasPrefix("upsampler.") })
    }

    /// Shapes for the baselines and for scales other than the context extractor's 4 (the context
    /// features are resampled to H/r).
    @Test(arguments: [(MotionUpsampling.contextGuided, 2), (.contextGuided, 8), (.nearest, 4), (.bilinear, 4)])
    func outputShapes(upsampling: MotionUpsampling, scale: Int) throws {
        var configuration = tinyCGMConfiguration()
        configuration.upsampling = upsampling
        configuration.scale = scale
        configuration.decoderChannels = [8, 8, 2]
        if upsampling != .contextGuided { configuration.hrKernel = scale * 2 + 1 }
        let net = try CGMNet(ParameterStore().root, configuration)
        let output = withNoGrad { net(Tensor.randn([1, 3, 8, 32, 32]), mode: .train) }
        let k̂ = configuration.hrKernel
        #expect(output.lowResolutionMaps.shape == [1, 8, 9, 32 / scale, 32 / scale])
        #expect(output.highResolutionMaps.shape == [1, 8, k̂ * k̂, 32, 32])
        let sums = output.highResolutionMaps.sum(dims: [2])
        expectClose(sums, Tensor.ones(sums.shape), rtol: 0, atol: 1e-5, "softmax-normalised filters")
    }

    /// Eq. 6 by hand: with identity maps (the centre tap 1) the reconstructions are the input
    /// frames, so L_HR = mean √((X_t − X_{t+1})² + ε²) and L_LR the same of the 2×2 block means.
    @Test func reconstructionLossIsTheCharbonnierPenaltyOfEquationSix() {
        let frames = Tensor.randn([1, 3, 3, 4, 4])
        func identity(_ taps: Int, _ side: Int) -> Tensor {
            let maps = Tensor.zeros([1, 2, taps, side, side])
            maps[.all, .all, taps / 2] = Tensor.ones([1, 2, side, side])
            return maps
        }
        let output = CGMNetOutput(lowResolutionMaps: identity(9, 2), highResolutionMaps: identity(25, 4), scale: 2)
        let epsilon = 0.01
        let loss = CGMReconstructionLoss(lowResolutionWeight: 0.5, epsilon: epsilon)(output, frames: frames)
        let x = frames.array(of: Float.self).map(Double.init)
        func at(_ c: Int, _ t: Int, _ y: Int, _ xx: Int) -> Double { x[((c * 3 + t) * 4 + y) * 4 + xx] }
        var high = 0.0, low = 0.0
        for c in 0..<3 {
            for t in 0..<2 {
                for y in 0..<4 { for xx in 0..<4 { high += ((at(c, t, y, xx) - at(c, t + 1, y, xx)).squared + epsilon * epsilon).squareRoot() } }
                for by in 0..<2 {
                    for bx in 0..<2 {
                        func mean(_ t: Int) -> Double {
                            (at(c, t, 2 * by, 2 * bx) + at(c, t, 2 * by + 1, 2 * bx) + at(c, t, 2 * by, 2 * bx + 1)
                                + at(c, t, 2 * by + 1, 2 * bx + 1)) / 4
                        }
                        low += ((mean(t) - mean(t + 1)).squared + epsilon * epsilon).squareRoot()
                    }
                }
            }
        }
        high /= 3 * 2 * 16
        low /= 3 * 2 * 4
        // float32 means of 96 and 24 terms of size ≤ ~10 (Float32Tolerance).
        let tolerance = Float32Tolerance.sums(of: 96, magnitude: 10)
        #expect(Swift.abs(loss.highResolution.item(Float.self).double - high) < tolerance)
        #expect(Swift.abs(loss.lowResolution.item(Float.self).double - low) < tolerance)
        #expect(Swift.abs(loss.total.item(Float.self).double - (high + 0.5 * low)) < tolerance)
    }

    @Test func actionCNNClassifiesMotionMaps() throws {
        let cnn = try ActionCNN(ParameterStore().root, taps: 25, classes: 7, width: 4)
        let logits = withNoGrad { cnn(Tensor.randn([2, 8, 25, 32, 32]), mode: .train) }
        #expect(logits.shape == [2, 7])
        #expect(cnn.stateDict().keys.filter { $0.hasSuffix(".0.weight") }.count == 6)
    }
}

extension Double {
    fileprivate var squared: Double { self * self }
}

extension Float {
    fileprivate var double: Double { Double(self) }
}
