import Foundation
import KinemaModels
import KinemaTestSupport
import Testing

// CGM-Net's configuration, the backbones' feature strides it relies on, and the context
// extractor's torchvision ResNet-18 key names.
@Suite struct CGMConfigurationTests {
    @Test func defaultsAreValidAndDecodeFromJSON() throws {
        let configuration = CGMNetConfiguration()
        try configuration.validate()
        #expect(configuration.decoderUpsampling.map { [$0.time, $0.space] } == [[2, 2], [2, 2], [2, 1]])
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(CGMNetConfiguration.self, from: data) == configuration)
        #expect(configuration.problem(with: ClipShape(frames: 16, height: 112, width: 112)) == nil)
        #expect(configuration.problem(with: ClipShape(frames: 12, height: 112, width: 112)) != nil)
    }

    /// Every bad value appears in the message, with its value.
    @Test func validationNamesEveryBadValue() {
        func problems(_ change: (inout CGMNetConfiguration) -> Void) -> String {
            var configuration = CGMNetConfiguration()
            change(&configuration)
            do {
                try configuration.validate()
                return ""
            } catch {
                return error.message
            }
        }
        let many = problems {
            $0.backbone = "r9d"
            $0.backboneWidth = -1
            $0.kernel = 4
            $0.hrKernel = -1
            $0.contextWidth = 0
        }
        for needle in ["backbone 'r9d'", "backboneWidth -1", "kernel 4", "hrKernel -1", "contextWidth 0"] {
            #expect(many.contains(needle), "\(needle) in \(many)")
        }
        #expect(problems { $0.scale = 3 }.contains("scale 3"))
        #expect(problems { $0.scale = 32 }.contains("scale 32"))
        #expect(problems { $0.decoderChannels = [256, 128] }.contains("decoderChannels [256, 128]"))
        #expect(problems { $0.decoderChannels = [256, 0, 128] }.contains("must be positive, got 0"))
        #expect(problems { $0.decoderChannels = [256, 128, 64] }.contains("last entry 64"))
        #expect(problems { $0.upsampling = .nearest }.contains("hrKernel 9 must be scale·(kernel − 1) + 1 = 9") == false)
        #expect(problems { $0.upsampling = .bilinear; $0.kernel = 5 }.contains("hrKernel 9 must be scale·(kernel − 1) + 1 = 17"))
        #expect(throws: ModuleError.self) { try CGMNet(ParameterStore().root, { var c = CGMNetConfiguration(); c.kernel = 2; return c }()) }
    }

    /// ``ModelName/featureStride`` against each architecture's actual feature map (the tiny models
    /// share their full-size siblings' strides).
    @Test(arguments: ModelName.allCases.filter { $0.rawValue.hasSuffix("_tiny") })
    func featureStrideIsTheBackbonesOwn(_ name: ModelName) throws {
        let stride = name.featureStride
        let model = try name.make(ParameterStore().root)
        let clip = Tensor.randn([1, 3, 2 * stride.time, 2 * stride.space, 4 * stride.space])
        let map = withNoGrad { model.featureMap(clip, mode: .eval) }
        #expect(Array(map.shape[2...]) == [2, 2, 4])
    }

    /// The extractor's keys and shapes are torchvision's resnet18 up to layer2 (its whole key list
    /// and shapes are in the fixture); a full resnet18 state dict loads, the other layers ignored.
    @Test func contextExtractorLoadsTorchvisionResNet18() throws {
        let fx = try fixture("cgm")
        let shapes = fx.subset("resnet18.shape.").mapValues { $0.array(of: Int64.self).map(Int.init) }
        let extractor = try ContextExtractor(ParameterStore().root)
        let ours = extractor.stateDict().mapValues(\.shape)
        let theirs = shapes.filter { key, _ in ContextExtractor.torchvisionPrefixes.contains { key.hasPrefix($0) } }
        #expect(ours == theirs)
        #expect(shapes.keys.contains("layer3.0.conv1.weight") && shapes.keys.contains("fc.weight"))
        var full: [String: Tensor] = [:]
        for (index, (key, shape)) in shapes.sorted(by: { $0.key < $1.key }).enumerated() {
            full[key] = key.hasSuffix("num_batches_tracked")
                ? Tensor.zeros(shape, dtype: .int64) : Tensor.full(shape, Float(index))
        }
        try extractor.loadTorchvisionResNet18(full)
        let loaded = extractor.stateDict()
        #expect(loaded["layer2.0.downsample.0.weight"]!.array(of: Float.self)
            == full["layer2.0.downsample.0.weight"]!.array(of: Float.self))
        let frame = withNoGrad { try! ContextExtractor(ParameterStore().root, width: 8)(Tensor.randn([2, 3, 32, 48]), mode: .train) }
        #expect(frame.shape == [2, 16, 8, 12])
        var missing = full
        missing["layer1.1.bn2.running_var"] = nil
        #expect(throws: StateDictError.self) { try extractor.loadTorchvisionResNet18(missing) }
    }
}
