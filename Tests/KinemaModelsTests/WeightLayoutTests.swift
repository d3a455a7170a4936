import Foundation
import KinemaModels
import KinemaTestSupport
import Testing

// Reference: Tools/fixtures/gen_interop.py — torchvision's R(2+1)D-18 structure at width 8 and
// MoSI's R(2+1)D-10 in TAdaConv's layout (with MoSIHeadJoint's `head.out_joint`) at width 4, random
// weights and running statistics, their eval logits on one [1, 3, 4, 32, 32] clip, and the
// key/shape/dtype lists of torchvision's full-size video ResNets.
@Suite struct WeightLayoutTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("interop") }

    /// The logits were computed in float64 from the float32 weights and rounded to float32, so a
    /// float64 model must match them to that rounding, 2⁻²⁴ relative, plus float64's own
    /// reduction error: at most ~40 convolution layers in sequence, each a sum of at most 64
    /// channels × 27 taps = 1728 products of magnitude ≤ 10, 2·n·ε₆₄·m each (the bound of
    /// Float32Tolerance in float64) — 3e-10, far below a wrong weight's effect.
    static let rtol = 1 / Double(1 << 24)
    static let atol = 40 * 2 * 1728 * 10 * Double.ulpOfOne

    @Test func layoutsAreToldFromTheKeys() throws {
        #expect(WeightLayout.detect(fx.subset("torchvision.state.").keys) == .torchvision)
        #expect(WeightLayout.detect(fx.subset("tadaconv.state.").keys) == .tadaconv)
        #expect(WeightLayout.detect(fx.subset("tadaconv.state.").keys.map { "module." + $0 }) == .tadaconv)
        let vit = try ModelName.vitS16Tiny.make(ParameterStore().root).stateDict()
        #expect(WeightLayout.detect(vit.keys) == .videomae)
        #expect(WeightLayout.detect(try WeightLayout.hf.exported(vit).keys) == .hf)
        #expect(WeightLayout.detect(["conv.weight", "fc.bias"]) == nil)
    }

    /// A TAdaConv MoSI checkpoint's keys (its pretext head `head.out_joint`, under a
    /// DistributedDataParallel `module.` prefix too) load strictly into R(2+1)D-10, whose `head.out`
    /// then gives TAdaConv's logits.
    @Test(arguments: ["", "module."])
    func tadaConvCheckpointLoadsIntoR2Plus1D10(prefix: String) throws {
        let state = Dictionary(uniqueKeysWithValues: fx.subset("tadaconv.state.").map { (prefix + $0.key, $0.value) })
        #expect(state.keys.contains(prefix + "head.out_joint.weight"))
        let model = try ResNet3D(ParameterStore(dtype: .float64).root, variant: .r2plus1d, depth: 10, classes: 9, width: 4)
        try model.loadStateDict(try WeightLayout.tadaconv.kinemaForm(state))
        let logits = withNoGrad { model(try! fx.tensor("x").to(.float64), mode: .eval) }
        expectClose(logits, try fx.tensor("tadaconv.eval_out"), rtol: Self.rtol, atol: Self.atol, "TAdaConv logits")
    }

    /// R-2D3D-18 reads the same way: gen_models.py's TAdaConv-layout state dict (width 4, 5
    /// classes) with its classifier renamed to MoSI's `head.out_joint` gives the reference logits.
    @Test func tadaConvCheckpointLoadsIntoR2D3D18() throws {
        let models = try fixture("models")
        let state = Dictionary(uniqueKeysWithValues: models.subset("r2d3d_18.state.").map { key, tensor in
            (key.hasPrefix("head.out.") ? "head.out_joint." + key.dropFirst("head.out.".count) : key, tensor)
        })
        let model = try ResNet3D(ParameterStore(dtype: .float64).root, variant: .r2d3d, depth: 18, classes: 5, width: 4)
        try model.loadStateDict(try WeightLayout.tadaconv.kinemaForm(state))
        let logits = withNoGrad { model(try! models.tensor("x").to(.float64), mode: .eval) }
        expectClose(logits, try models.tensor("r2d3d_18.eval_out"), rtol: Self.rtol, atol: Self.atol, "R-2D3D-18 logits")

        // Both heads at once are one head too many, said rather than one silently dropped.
        var both = state
        both["head.out.weight"] = state["head.out_joint.weight"]
        #expect(throws: ModuleError.self) { try WeightLayout.tadaconv.kinemaForm(both) }
    }

    /// What strict loading in torchvision needs: a Kinema VideoResNet at width 64 exports exactly
    /// the keys, shapes and dtypes of `torchvision.models.video.<name>(num_classes=10).state_dict()`.
    @Test(arguments: VideoResNet.Variant.allCases)
    func fullSizeExportHasTorchvisionsKeys(_ variant: VideoResNet.Variant) throws {
        let model = try VideoResNet(ParameterStore().root, variant: variant, classes: 10, width: 64)
        try expectKeys(of: try WeightLayout.torchvision.exported(model.stateDict()), "torchvision_keys.\(variant.rawValue)")
    }

    /// And in transformers 5: vit_s_16_tiny exports exactly the state dict of
    /// `VideoMAEForVideoClassification` at its size (the query and value biases as `query.bias`,
    /// `value.bias`, which its strict loading needs).
    @Test func vitExportHasTransformersKeys() throws {
        let model = try ModelName.vitS16Tiny.make(ParameterStore().root, classes: 10)
        try expectKeys(of: try WeightLayout.hf.exported(model.stateDict()), "transformers_keys.vit_s_16_tiny")
    }

    /// `tensors` has exactly the keys of the fixture's `[key, shape, dtype]` list `entry`, at those
    /// shapes and dtypes.
    private func expectKeys(of tensors: [String: Tensor], _ entry: String) throws {
        let json = try #require(fx.metadata[entry])
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]])
        #expect(Set(tensors.keys) == Set(expected.map { $0[0] as! String }), "\(entry)")
        for item in expected {
            let (key, shape, dtype) = (item[0] as! String, item[1] as! [Int], item[2] as! String)
            let tensor = try #require(tensors[key], "\(entry): no \(key)")
            #expect(tensor.shape == shape && tensor.dtype.description == dtype, "\(entry): \(key)")
        }
    }

    /// The ViT layouts go out and come back to the same tensors: VideoMAE's names unchanged,
    /// transformers' with the fused qkv split and joined again.
    @Test(arguments: [WeightLayout.videomae, .hf])
    func vitExportComesBack(_ layout: WeightLayout) throws {
        let state = try ModelName.vitS16Tiny.make(ParameterStore().root).stateDict()
        let exported = try layout.exported(state)
        #expect(WeightLayout.detect(exported.keys) == layout)
        let back = try layout.kinemaForm(exported)
        #expect(Set(back.keys) == Set(state.keys))
        for (key, tensor) in state { #expect(back[key]?.isEqual(to: tensor) == true, "\(key)") }
    }

    @Test func layoutsFitTheirModelFamilies() throws {
        #expect(WeightLayout.layouts(of: .r2plus1d18) == [.torchvision])
        #expect(WeightLayout.layouts(of: .r2plus1d10) == [.tadaconv])
        #expect(WeightLayout.layouts(of: .vitB16) == [.videomae, .hf])
        #expect(throws: ModuleError.self) { try WeightLayout(validating: "timm") }
    }
}
