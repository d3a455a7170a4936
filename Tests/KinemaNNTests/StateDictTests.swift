import Foundation
import KinemaNN
import KinemaTestSupport
import Testing

// Reference: gen_nn.py::gen_layers — TinyNet's PyTorch state_dict, nested like torchvision models.
@Suite struct StateDictTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_layers") }

    var pytorchState: [String: Tensor] { fx.subset("tinynet.state.") }

    @Test func nestedModelMatchesPyTorchInTrainAndEval() throws {
        // Longest sums: batch-norm statistics and weight gradients over 2 × 8 × 8 positions.
        let net = try checkLayer(fx, "tinynet", sums: 128) { p in try TinyNet(p) }
        let x = try fx.tensor("tinynet.eval_x")
        let evalOut = withNoGrad { net(x, mode: .eval) }
        let magnitude = Float32Tolerance.termMagnitude([x] + Array(pytorchState.values))
        expectClose(
            evalOut, try fx.tensor("tinynet.eval_out"), atol: Float32Tolerance.sums(of: 128, magnitude: magnitude))
    }

    @Test func keysArePyTorchsAndRelativeToTheModule() throws {
        let net = try TinyNet(ParameterStore().root)
        #expect(Set(net.stateDict().keys) == Set(pytorchState.keys))
        #expect(net.stateDict()["layer1.0.conv1.1.running_mean"] != nil)
        #expect(net.layer1.namedParameters().first?.name == "0.conv1.0.weight")
        #expect(
            net.layer1.namedBuffers().map(\.name).prefix(3) == [
                "0.conv1.1.running_mean", "0.conv1.1.running_var", "0.conv1.1.num_batches_tracked",
            ])
        // A sub-module loads its own slice of a checkpoint.
        let headState = ["weight": pytorchState["head.weight"]!, "bias": pytorchState["head.bias"]!]
        try net.head.loadStateDict(headState)
        #expect(net.head.weight.isEqual(to: pytorchState["head.weight"]!))
    }

    @Test func strictLoadingReportsEveryProblemAtOnceAndLoadsNothing() throws {
        let net = try TinyNet(ParameterStore(generator: try Generator(seed: 1)).root)
        let before = net.stem.stateDict()["0.weight"]!.copied()
        var state = pytorchState
        state["head.bias"] = nil
        state["stem.1.running_var"] = nil
        state["extra.weight"] = Tensor.zeros([2])
        state["fc.bias"] = Tensor.zeros([3])
        state["head.weight"] = Tensor.zeros([5, 4])

        let error = #expect(throws: StateDictError.self) { try net.loadStateDict(state) }
        let report = try #require(error?.report)
        #expect(report.missingKeys == ["stem.1.running_var", "head.bias"])
        #expect(report.unexpectedKeys == ["extra.weight", "fc.bias"])
        #expect(report.shapeMismatches == [.init(key: "head.weight", loaded: [5, 4], expected: [3, 4])])
        let message = String(describing: error!)
        for fragment in [
            "Missing key(s) (2): \"stem.1.running_var\", \"head.bias\"",
            "Unexpected key(s) (2): \"extra.weight\", \"fc.bias\"",
            "size mismatch for head.weight: copying a tensor of shape [5, 4] from the state dict, "
                + "the shape in the current model is [3, 4]",
        ] {
            #expect(message.contains(fragment), "\(message)")
        }
        #expect(net.stem.stateDict()["0.weight"]!.isEqual(to: before), "strict failure must not load anything")
    }

    @Test func nonStrictLoadingLoadsTheRestAndReturnsTheReport() throws {
        let net = try TinyNet(ParameterStore(generator: try Generator(seed: 1)).root)
        let headBefore = net.head.weight.copied()
        var state = pytorchState
        state["head.weight"] = Tensor.zeros([5, 4])
        state["head.bias"] = nil
        let report = try net.loadStateDict(state, strict: false)
        #expect(report.missingKeys == ["head.bias"])
        #expect(report.shapeMismatches.map(\.key) == ["head.weight"])
        #expect(report.unexpectedKeys.isEmpty && !report.isClean)
        #expect(net.stem.stateDict()["0.weight"]!.isEqual(to: pytorchState["stem.0.weight"]!))
        #expect(net.head.weight.isEqual(to: headBefore))
        #expect(try net.loadStateDict(pytorchState).isClean)
    }

    @Test func loadingCopiesIntoTheSameTensors() throws {
        let net = try TinyNet(ParameterStore().root)
        let weight = net.head.weight
        try net.loadStateDict(pytorchState)
        #expect(net.head.weight.isSameTensor(as: weight))
        #expect(weight.isEqual(to: pytorchState["head.weight"]!) && weight.requiresGrad && weight.isLeaf)
    }

    @Test func safetensorsRoundTripIsBitwise() throws {
        let source = try TinyNet(ParameterStore(generator: try Generator(seed: 7)).root)
        let x = Tensor.randn([2, 3, 8, 8], generator: try Generator(seed: 8))
        _ = withNoGrad { source(x, mode: .train) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kinema-nn-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.save(Safetensors.Contents(tensors: source.stateDict()), to: url)

        let target = try TinyNet(ParameterStore(generator: try Generator(seed: 9)).root)
        try target.loadStateDict(try Safetensors.load(url).tensors)
        let (a, b) = (source.stateDict(), target.stateDict())
        #expect(a.keys.sorted() == b.keys.sorted())
        for (key, tensor) in a {
            #expect(tensor.dtype == b[key]!.dtype && tensor.isEqual(to: b[key]!), "\(key)")
        }
        #expect(b["stem.1.num_batches_tracked"]!.dtype == .int64)
        #expect(b["stem.1.num_batches_tracked"]!.item(Int64.self) == 1)
    }
}
