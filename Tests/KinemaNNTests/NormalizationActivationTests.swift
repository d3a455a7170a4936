import KinemaNN
import KinemaTestSupport
import Testing

// Reference: gen_nn.py::gen_functional (F.batch_norm, layer_norm, group_norm, activations, dropout).
@Suite struct FunctionalNormalizationTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_functional") }

    @Test func batchNormTrainingUpdatesRunningStatistics() throws {
        let runningMean = try fx.tensor("batch_norm_train.running_mean").copied()
        let runningVar = try fx.tensor("batch_norm_train.running_var").copied()
        let sums = try perChannelSums(fx, "batch_norm_train")
        try checkFunctional(fx, "batch_norm_train", inputs: ["x", "w", "b"], sums: sums) { t in
            t["x"]!.batchNorm(
                runningMean: runningMean, runningVar: runningVar, weight: t["w"]!, bias: t["b"]!, training: true,
                momentum: 0.2, eps: 1e-3)
        }
        // The running statistics take the batch mean and variance: sums of `sums` terms of size |x|, x².
        let x = try fx.tensor("batch_norm_train.x")
        let magnitude = Float32Tolerance.termMagnitude([x, x])
        expectClose(
            runningMean, try fx.tensor("batch_norm_train.running_mean_after"),
            atol: Float32Tolerance.sums(of: sums, magnitude: magnitude))
        expectClose(
            runningVar, try fx.tensor("batch_norm_train.running_var_after"),
            atol: Float32Tolerance.sums(of: sums, magnitude: magnitude))
    }

    @Test func batchNormEvaluationUsesRunningStatistics() throws {
        let mean = try fx.tensor("batch_norm_train.running_mean")
        let variance = try fx.tensor("batch_norm_train.running_var")
        try checkFunctional(fx, "batch_norm_eval", inputs: ["x", "w", "b"], sums: perChannelSums(fx, "batch_norm_eval")) { t in
            t["x"]!.batchNorm(
                runningMean: mean, runningVar: variance, weight: t["w"]!, bias: t["b"]!, training: false, eps: 1e-3)
        }
        let error = #expect(throws: TorchError.self) {
            try Tensor.zeros([2, 3]).checked.batchNorm(runningMean: nil, runningVar: nil, training: false)
        }
        #expect(error?.message.contains("evaluation mode needs runningMean") == true)
    }

    @Test func layerAndGroupNorm() throws {
        // Longest sums: the 6 or 30 normalised values; the weight gradient over the 10 rows.
        try checkFunctional(fx, "layer_norm", inputs: ["x", "w", "b"], sums: 10) { t in
            t["x"]!.layerNorm(normalizedShape: [6], weight: t["w"]!, bias: t["b"]!, eps: 1e-6)
        }
        try checkFunctional(fx, "layer_norm_2d", inputs: ["x", "w", "b"], sums: 30) { t in
            t["x"]!.layerNorm(normalizedShape: [5, 6], weight: t["w"]!, bias: t["b"]!)
        }
        // A group is 2 channels × 16 positions; the weight gradient adds batch × positions = 32.
        try checkFunctional(fx, "group_norm", inputs: ["x", "w", "b"], sums: 32) { t in
            t["x"]!.groupNorm(groups: 3, weight: t["w"]!, bias: t["b"]!)
        }
        #expect(throws: TorchError.self) { try Tensor.zeros([2, 6, 3]).checked.groupNorm(groups: 4) }
        #expect(throws: TorchError.self) { try Tensor.zeros([2, 6, 3]).checked.layerNorm(normalizedShape: [4]) }
    }
}

@Suite struct ActivationTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_functional") }

    @Test(arguments: ["relu", "gelu", "gelu_tanh", "silu", "sigmoid", "tanh", "softmax", "log_softmax"])
    func activation(_ name: String) throws {
        // Softmax and log-softmax add up to 5 exponentials (x is 3 × 5 × 4).
        try checkFunctional(fx, name, inputs: ["x"], sums: 5) { t in
            let x = t["x"]!
            return switch name {
            case "relu": x.relu()
            case "gelu": x.gelu()
            case "gelu_tanh": x.gelu(approximate: .tanh)
            case "silu": x.silu()
            case "sigmoid": x.sigmoid()
            case "tanh": x.tanh()
            case "softmax": x.softmax(dim: 1)
            default: x.logSoftmax(dim: -1)
            }
        }
    }

    @Test func softmaxRejectsABadDimension() {
        #expect(throws: TorchError.self) { try Tensor.zeros([2, 3]).checked.softmax(dim: 2) }
    }

    @Test func dropoutWithAGeneratorDrawsPyTorchsMask() throws {
        // F.dropout(x, 0.3) after torch.manual_seed(40) on the CPU.
        let x = try fx.tensor("dropout.x")
        let out = x.dropout(p: 0.3, training: true, generator: try Generator(seed: 40))
        #expect(out.isEqual(to: try fx.tensor("dropout.out")))
    }

    @Test func dropoutIsTheIdentityOutsideTraining() throws {
        let x = Tensor.randn([4, 5], generator: try Generator(seed: 1))
        #expect(x.dropout(p: 0.5, training: false).isEqual(to: x))
        #expect(x.dropout(p: 0.5, training: false, generator: try Generator(seed: 2)).isEqual(to: x))
        #expect(x.dropout(p: 1, training: true, generator: try Generator(seed: 2)).isEqual(to: x.zerosLike()))
        #expect(throws: TorchError.self) { try x.checked.dropout(p: 1.5, training: true) }
    }

    @Test func dropoutKeepsTheExpectedFractionAndScale() throws {
        let x = Tensor.ones([10_000])
        let out = x.dropout(p: 0.25, training: true, generator: try Generator(seed: 3)).array(of: Float.self)
        #expect(Set(out).isSubset(of: [0, Float(1 / 0.75)]))
        let kept = Double(out.filter { $0 != 0 }.count) / Double(out.count)
        #expect(abs(kept - 0.75) < 0.02)
    }
}
