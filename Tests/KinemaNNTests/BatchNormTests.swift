import KinemaNN
import KinemaTestSupport
import Testing

// Reference: gen_nn.py::gen_layers — nn.BatchNorm*d: a training step with gradients, a second
// training step (running statistics and num_batches_tracked), then evaluation.
@Suite struct BatchNormTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_layers") }

    func checkTwoStepsThenEval(_ name: String, build: (ParameterPath) throws -> BatchNorm) throws {
        let sums = try perChannelSums(fx, name)
        let bn = try checkLayer(fx, name, mode: .train, sums: sums, build: build)
        let (x2, x3) = (try fx.tensor("\(name).x2"), try fx.tensor("\(name).x3"))
        _ = withNoGrad { bn(x2, mode: .train) }
        let after = fx.subset("\(name).after2.")
        // Batch statistics and the evaluation output: sums of `sums` terms as large as x² (x2 and x3 alike).
        let tolerance = Float32Tolerance.sums(of: sums, magnitude: Float32Tolerance.termMagnitude([x2, x2]))
        #expect(Set(bn.namedBuffers().map(\.name)) == Set(after.keys), "\(name) buffers")
        for (key, buffer) in bn.namedBuffers() {
            expectClose(buffer, after[key]!, atol: tolerance, "\(name) \(key) after two steps")
        }
        let evalOut = withNoGrad { bn(x3, mode: .eval) }
        expectClose(evalOut, try fx.tensor("\(name).eval_out"), atol: tolerance, "\(name) evaluation output")
    }

    @Test func batchNorm1d() throws {
        try checkTwoStepsThenEval("bn1d") { p in try BatchNorm1d(p, features: 4) }
    }

    @Test func batchNorm2dWithMomentumAndEps() throws {
        try checkTwoStepsThenEval("bn2d") { p in try BatchNorm2d(p, features: 3, eps: 1e-3, momentum: 0.3) }
    }

    @Test func batchNorm3dCumulativeAverage() throws {
        try checkTwoStepsThenEval("bn3d_cumulative") { p in try BatchNorm3d(p, features: 2, momentum: nil) }
    }

    @Test func batchNormWithoutRunningStatistics() throws {
        try checkTwoStepsThenEval("bn2d_untracked") { p in try BatchNorm2d(p, features: 3, trackRunningStats: false) }
    }

    @Test func buffersHavePyTorchsNamesAndTypes() throws {
        let bn = try BatchNorm2d(ParameterStore().root, features: 5)
        #expect(bn.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(bn.namedBuffers().map(\.name) == ["running_mean", "running_var", "num_batches_tracked"])
        let count = try #require(bn.numBatchesTracked)
        #expect(count.dtype == .int64 && count.shape == [])
        #expect(bn.weight!.array(of: Float.self) == [1, 1, 1, 1, 1])
        #expect(bn.runningVar!.array(of: Float.self) == [1, 1, 1, 1, 1])
        _ = bn(Tensor.randn([2, 5, 3, 3], generator: try Generator(seed: 1)), mode: .eval)
        #expect(count.item(Int64.self) == 0, "evaluation does not count batches")
        #expect(!bn.runningMean!.requiresGrad)
    }

    @Test func aWrongRankTraps() async {
        // A programmer error inside a model: it traps with the layer, its path and the input's shape.
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let bn = try BatchNorm2d(ParameterStore().root / "bn1", features: 3)
            _ = bn(Tensor.zeros([2, 3]), mode: .train)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(
            message.contains("BatchNorm2d at 'bn1' expects a 4-D input, got Tensor[2, 3] float32 cpu"), "\(message)")
    }
}
