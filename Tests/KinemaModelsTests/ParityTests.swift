import KinemaModels
import KinemaTestSupport
import Testing

// Reference: Tools/fixtures/gen_models.py. torchvision's own VideoResNet/BasicBlock/conv builders
// at width 4 (at width 64 the generator asserts they are torchvision's r3d_18/mc3_18/r2plus1d_18),
// and MoSI's backbones in the official TAdaConv module layout, all with random weights and running
// statistics, on one clip [2, 3, 4, 20, 16], 5 classes.
//
// The expected values were computed in float64 (from the float32 weights and clip) and rounded to
// float32, so the models run in float64 here and must match to float32 rounding (rtol 1e-5, atol
// 1e-6). In float32 the comparison would measure noise: train-mode BatchNorm over as few as 2 values
// per channel in the last stage amplifies float32 rounding in the input gradient to ~1e-2.
@Suite struct ParityTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("models") }

    @Test(arguments: VideoResNet.Variant.allCases)
    func torchvisionVideoResNet(_ variant: VideoResNet.Variant) throws {
        let model = try VideoResNet(ParameterStore(dtype: .float64).root, variant: variant, classes: 5, width: 4)
        try check(model, case: variant.rawValue)
    }

    @Test(arguments: [(ResNet3D.Variant.r2plus1d, 10), (.r2d3d, 18)])
    func mosiResNet3D(_ variant: ResNet3D.Variant, depth: Int) throws {
        let model = try ResNet3D(
            ParameterStore(dtype: .float64).root, variant: variant, depth: depth, classes: 5, width: 4)
        try check(model, case: "\(variant.rawValue)_\(depth)")
    }

    /// Loads `<case>.state.*` strictly (which proves every key name and shape), compares the
    /// eval-mode logits, then one train-mode forward/backward: logits, input gradient, recorded
    /// parameter gradients and BatchNorm buffers after the step.
    private func check(_ model: some Backbone, case name: String) throws {
        try model.loadStateDict(fx.subset("\(name).state."))
        let x = try fx.tensor("x").to(.float64)

        let evalOut = withNoGrad { model(x, mode: .eval) }
        expectClose(evalOut, try fx.tensor("\(name).eval_out"), "\(name) eval logits")

        let leaf = x.copied().requiringGrad()
        let trainOut = model(leaf, mode: .train)
        expectClose(trainOut, try fx.tensor("\(name).train_out"), "\(name) train logits")
        trainOut.backward(try fx.tensor("\(name).grad_out").to(.float64))
        expectClose(try #require(leaf.grad), try fx.tensor("\(name).grad_x"), "\(name) grad x")

        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor) })
        let gradients = fx.subset("\(name).grad.")
        #expect(!gradients.isEmpty)
        for (key, expected) in gradients {
            let grad = try #require(parameters[key]?.grad, "no gradient for \(key)")
            expectClose(grad, expected, "\(name) grad of \(key)")
        }
        let buffers = Dictionary(uniqueKeysWithValues: model.namedBuffers().map { ($0.name, $0.tensor) })
        let after = fx.subset("\(name).after.")
        #expect(!after.isEmpty)
        for (key, expected) in after {
            expectClose(try #require(buffers[key]), expected, "\(name) \(key) after the step")
        }
    }

    @Test func stateDictKeysAreExactlyTheReferenceOnes() throws {
        for variant in VideoResNet.Variant.allCases {
            let model = try VideoResNet(ParameterStore().root, variant: variant, classes: 5, width: 4)
            #expect(Set(model.stateDict().keys) == Set(fx.subset("\(variant.rawValue).state.").keys))
        }
        // Official names, e.g. for TAdaConv checkpoints.
        let r2plus1d = try ResNet3D(ParameterStore().root, variant: .r2plus1d, depth: 10, classes: 5, width: 4)
        let keys = Set(r2plus1d.stateDict().keys)
        #expect(keys == Set(fx.subset("r2plus1d_10.state.").keys))
        for key in [
            "backbone.conv1.a1.weight", "backbone.conv1.a2_bn.running_var",
            "backbone.conv2.res_1.conv_branch.b2.weight",
            "backbone.conv3.res_1.short_cut.weight", "backbone.conv5.res_1.short_cut_bn.num_batches_tracked",
            "head.out.weight", "head.out.bias",
        ] {
            #expect(keys.contains(key), "\(key)")
        }
        #expect(!keys.contains("backbone.conv2.res_1.short_cut.weight"), "conv2 keeps shape: identity shortcut")
    }
}
