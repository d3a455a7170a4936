import Foundation
import KinemaModels
import KinemaTestSupport
import Testing

// Properties every registered backbone must have (timm's model tests), checked for each ModelName
// at width 4 with 3 classes on a [2, 3, 4, 32, 32] clip, so the whole suite takes seconds. Parameter
// counts at the registered sizes are in ParameterCountTests, numerical parity in ParityTests.
@Suite struct RegistryPropertyTests {
    static let clipShape = [2, 3, 4, 32, 32]
    let clip: Tensor
    init() throws { clip = Tensor.randn(Self.clipShape, generator: try Generator(seed: 99)) }

    private func tiny(_ name: ModelName, seed: UInt64 = 0) throws -> any Backbone {
        try name.make(ParameterStore(generator: try Generator(seed: seed)).root, classes: 3, width: 4)
    }

    /// The stage prefixes each family promises (torchvision's and TAdaConv's module names).
    private func expectedStages(_ name: ModelName) -> [String] {
        switch name.spec.architecture {
        case .videoResNet: ["stem", "layer1", "layer2", "layer3", "layer4"]
        case .resNet3D: (1...5).map { "backbone.conv\($0)" }
        case .visionTransformer(let depth): ["patch_embed"] + (0..<depth).map { "blocks.\($0)" }
        }
    }

    /// The modules above the stages: the classifier, and a ViT's fc_norm (VideoMAE's names).
    private func classifierPrefixes(_ name: ModelName) -> [String] {
        if case .visionTransformer = name.spec.architecture { ["fc_norm.", "head."] } else { [headPrefix(name)] }
    }

    private func headPrefix(_ name: ModelName) -> String {
        switch name.spec.architecture {
        case .videoResNet: "fc."
        case .resNet3D: "head.out."
        case .visionTransformer: "head."
        }
    }

    @Test(arguments: ModelName.allCases)
    func shapesAreRightAndValuesFinite(_ name: ModelName) throws {
        let model = try tiny(name)
        for mode in [Mode.train, .eval] {
            let map = model.featureMap(clip, mode: mode)
            #expect(map.rank == 5 && map.size(0) == 2 && map.size(1) == model.featureDimension, "\(map.summary)")
            let features = model.features(clip, mode: mode)
            #expect(features.shape == [2, model.featureDimension])
            let logits = model(clip, mode: mode)
            #expect(logits.shape == [2, 3])
            #expect(logits.isFinite().all().item(Bool.self), "\(name) \(mode): non-finite logits")
            #expect(features.isFinite().all().item(Bool.self), "\(name) \(mode): non-finite features")
        }
        #expect(model.stages.map(\.name) == expectedStages(name))
        #expect(model.head.path.name + "." == headPrefix(name))
    }

    /// The strides, at the registered clip size: the last feature map's `[T', H', W']`. Full-size
    /// values from docs/reference-implementations.md §2.2–2.4 (16×112×112 clips); tiny ones (4×32×32)
    /// by the same stride arithmetic; the ViTs' token grids (16×224×224 clips in 2×16×16 tubes: 8×14×14,
    /// VideoMAE's 1568 tokens; 8×64×64 for the tiny one: 4×4×4).
    @Test(arguments: [
        (ModelName.r3d18, [2, 7, 7]), (.mc3_18, [16, 7, 7]), (.r2plus1d18, [2, 7, 7]), (.r2plus1d10, [2, 7, 7]),
        (.r2d3d18, [4, 4, 4]), (.r3d18Tiny, [1, 2, 2]), (.mc3_18Tiny, [4, 2, 2]), (.r2plus1d18Tiny, [1, 2, 2]),
        (.r2plus1d10Tiny, [1, 2, 2]), (.r2d3d18Tiny, [1, 1, 1]), (.vitS16, [8, 14, 14]), (.vitB16, [8, 14, 14]),
        (.vitL16, [8, 14, 14]), (.vitS16Tiny, [4, 4, 4]),
    ])
    func featureMapAtTheRegisteredClipSize(_ name: ModelName, size: [Int]) throws {
        let model = try tiny(name)
        let clip = Tensor.randn(name.spec.clip.inputShape(batch: 1))
        let map = withNoGrad { model.featureMap(clip, mode: .eval) }
        #expect(map.shape == [1, model.featureDimension] + size)
    }

    @Test(arguments: ModelName.allCases)
    func everyParameterReceivesAGradient(_ name: ModelName) throws {
        let model = try tiny(name)
        let weights = Tensor.randn([2, 3], generator: try Generator(seed: 5))
        (model(clip, mode: .train) * weights).sum().backward()
        for (key, parameter) in model.namedParameters() {
            let grad = try #require(parameter.grad, "\(name): no gradient for \(key)")
            #expect(grad.abs().sum().item(Double.self) > 0, "\(name): zero gradient for \(key)")
        }
    }

    @Test(arguments: ModelName.allCases)
    func stateDictNamesAreUniqueAndRoundTripBitwise(_ name: ModelName) throws {
        let model = try tiny(name, seed: 1)
        withNoGrad { _ = model(clip, mode: .train) }  // running statistics away from their initial values
        let names = model.namedParameters().map(\.name) + model.namedBuffers().map(\.name)
        #expect(Set(names).count == names.count)
        #expect(model.stateDict().count == names.count)

        let data = Safetensors.encode(Safetensors.Contents(tensors: model.stateDict()))
        let loaded = try Safetensors.decode(data, source: URL(fileURLWithPath: "\(name).safetensors")).tensors
        let other = try tiny(name, seed: 2)
        #expect(!other.head.weight.isEqual(to: model.head.weight), "differently seeded models must differ")
        try other.loadStateDict(loaded)
        let mine = model.stateDict(), theirs = other.stateDict()
        for (key, value) in mine {
            let copy = try #require(theirs[key])
            #expect(copy.dtype == value.dtype && copy.isEqual(to: value), "\(name): \(key) changed in the round trip")
        }
        let same = withNoGrad { (model(clip, mode: .eval), other(clip, mode: .eval)) }
        #expect(same.0.isEqual(to: same.1))
    }

    @Test(arguments: ModelName.allCases)
    func headOfFeaturesIsTheModel(_ name: ModelName) throws {
        let model = try tiny(name)
        let (whole, split) = withNoGrad { (model(clip, mode: .eval), model.head(model.features(clip, mode: .eval))) }
        expectClose(split, whole, rtol: 1e-6, atol: 1e-7)
        // The features are the pooled feature map (what Grad-CAM and the linear probe rely on).
        let (features, pooled) = withNoGrad { (model.features(clip, mode: .eval), model.pooled(model.featureMap(clip, mode: .eval))) }
        expectClose(pooled, features, rtol: 1e-5, atol: 1e-6)
    }

    @Test(arguments: ModelName.allCases)
    func resetHeadReplacesOnlyTheHead(_ name: ModelName) throws {
        let model = try tiny(name)
        let before = model.stateDict().mapValues { $0.copied() }
        try model.resetHead(classes: 7)
        let after = model.stateDict()
        #expect(Set(after.keys) == Set(before.keys))
        for (key, value) in after {
            if key.hasPrefix(headPrefix(name)) {
                #expect(value.size(0) == 7, "\(key): \(value.summary)")
            } else {
                #expect(value.isEqual(to: before[key]!), "\(name): resetHead changed \(key)")
            }
        }
        #expect(model.head.weight.shape == [7, model.featureDimension])
        #expect(withNoGrad { model(clip, mode: .eval) }.shape == [2, 7])
        #expect(Set(model.trainableParameters().map(\.name)) == Set(model.namedParameters().map(\.name)))
    }

    @Test(arguments: ModelName.allCases)
    func freezingTheFirstStagesStopsTheirGradients(_ name: ModelName) throws {
        let model = try tiny(name)
        let frozenPrefixes = expectedStages(name).prefix(2).map { $0 + "." }
        try model.freeze(firstStages: 2)
        model(clip, mode: .train).sum().backward()
        for (key, parameter) in model.namedParameters() {
            let frozen = frozenPrefixes.contains { key.hasPrefix($0) }
            #expect((parameter.grad == nil) == frozen, "\(name): \(key) frozen=\(frozen) grad=\(parameter.grad != nil)")
            #expect(parameter.requiresGrad == !frozen)
        }
        try model.freeze(firstStages: 0)
        #expect(model.trainableParameters().count == model.namedParameters().count)
        try model.freeze(firstStages: model.stages.count)
        #expect(model.trainableParameters().allSatisfy { p in classifierPrefixes(name).contains { p.name.hasPrefix($0) } })
    }

    @Test(arguments: ModelName.allCases)
    func layerIDsFollowTheStagesAndWeightDecaySkipsBiasesAndNorms(_ name: ModelName) throws {
        let model = try tiny(name)
        let stages = expectedStages(name)
        #expect(model.layerCount == stages.count + 1)
        for (key, parameter) in model.namedParameters() {
            let id = try #require(model.layerID(of: key), "\(name): \(key) has no layer id")
            let isClassifier = classifierPrefixes(name).contains { key.hasPrefix($0) }
            let expected = stages.firstIndex { key.hasPrefix($0 + ".") } ?? (isClassifier ? stages.count : -1)
            #expect(id == expected, "\(name): \(key)")
            // Convolution, linear and classifier weights decay; biases and BatchNorm/LayerNorm γ/β do not.
            let isWeightMatrix = parameter.rank >= 2
            #expect(model.noWeightDecayNames.contains(key) == !isWeightMatrix, "\(name): \(key)")
        }
        #expect(model.layerID(of: "nowhere.weight") == nil)
        #expect(model.noWeightDecayNames.contains(headPrefix(name) + "bias"))
    }

    @Test(arguments: ModelName.allCases)
    func channelsLastGivesTheSameOutput(_ name: ModelName) throws {
        let model = try tiny(name)
        let reference = withNoGrad { model(clip, mode: .eval) }
        model.useChannelsLast()
        let channelsLast = withNoGrad { model(clip.contiguous(.channelsLast3d), mode: .eval) }
        // Same maths, other memory order: only float32 summation order differs.
        expectClose(channelsLast, reference, rtol: 1e-4, atol: 1e-5)
    }

    @Test func badSizesAreErrorsNotCrashes() throws {
        let root = ParameterStore().root
        #expect(throws: ModuleError.self) { try ModelName.r3d18.make(root, classes: 0) }
        #expect(throws: ModuleError.self) { try ModelName.r2plus1d10.make(root, width: 0) }
        #expect(throws: ModuleError.self) { try VideoResNet(root, variant: .r2plus1d18, width: 1) }
        #expect(throws: ModuleError.self) { try ResNet3D(root, variant: .r2d3d, depth: 12) }
        let model = try tiny(.r2d3d18Tiny)
        #expect(throws: ModuleError.self) { try model.freeze(firstStages: 6) }
        #expect(throws: ModuleError.self) { try model.freeze(firstStages: -1) }
        #expect(throws: ModuleError.self) { try model.resetHead(classes: 0) }
        #expect(model.head.outFeatures == 3, "a failed resetHead keeps the head")
    }

    @Test func fineTuningOptionsReachAViTAndCNNsRefuseThem() throws {
        func vit(_ scale: Double, dropPath: Double = 0) throws -> VisionTransformer {
            let root = ParameterStore(generator: try Generator(seed: 5)).root
            return try #require(
                try ModelName.vitS16Tiny.make(root, classes: 3, dropPath: dropPath, headInitScale: scale) as? VisionTransformer)
        }
        // The same draws, the head scaled by init_scale (VideoMAE's `head.weight.mul_(init_scale)`).
        let plain = try vit(1)
        let scaled = try vit(0.001, dropPath: 0.1)
        #expect(scaled.head.weight.isEqual(to: plain.head.weight * 0.001))
        #expect(scaled.stateDict()["blocks.0.attn.qkv.weight"]!.isEqual(to: plain.stateDict()["blocks.0.attn.qkv.weight"]!))
        #expect(scaled.configuration.dropPath == 0.1 && scaled.configuration.headInitScale == 0.001)
        #expect(ModelName.vitB16.isVisionTransformer && !ModelName.r3d18Tiny.isVisionTransformer)
        let root = ParameterStore().root
        for (dropPath, scale) in [(0.1, 1.0), (0, 0.001)] {
            let error = #expect(throws: ModuleError.self) {
                try ModelName.r3d18Tiny.make(root, dropPath: dropPath, headInitScale: scale)
            }
            #expect(error?.message.contains("r3d_18_tiny is not a vision transformer") == true, "\(error?.message ?? "")")
        }
    }

    @Test func namesResolveAndUnknownNamesListTheKnownOnes() throws {
        #expect(Set(ModelName.allCases.map(\.rawValue)).count == ModelName.allCases.count)
        for name in ModelName.allCases { #expect(try ModelName(validating: name.rawValue) == name) }
        let error = #expect(throws: ModuleError.self) { try ModelName(validating: "r3d_50") }
        #expect(error?.message.contains("unknown model 'r3d_50'") == true)
        #expect(error?.message.contains("r2plus1d_10, r2d3d_18") == true)
    }
}
