import KinemaNN
import KinemaTestSupport
import Testing

// Reference: gen_nn.py::gen_losses (F.cross_entropy, mse_loss, l1_loss, smooth_l1_loss; Charbonnier
// written out as torch.sqrt((x - y)**2 + eps**2).mean()).
@Suite struct LossTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("nn_losses") }

    static let reductions: [(String, Reduction)] = [("mean", .mean), ("sum", .sum), ("none", .none)]

    /// A reduced loss adds one term per element of `<case>.x` (and a softmax adds a row).
    func lossSums(_ name: String) throws -> Int { try fx.tensor("\(name).x").count }

    @Test(arguments: reductions)
    func crossEntropyWithClassIndices(_ suffix: String, _ reduction: Reduction) throws {
        let name = "ce_index_\(suffix)"
        let (targets, weight) = (try fx.tensor("\(name).t"), try fx.tensor("\(name).w"))
        try checkFunctional(fx, name, inputs: ["x"], sums: lossSums(name)) { t in
            t["x"]!.crossEntropy(targets: targets, weight: weight, labelSmoothing: 0.1, reduction: reduction)
        }
    }

    @Test(arguments: reductions)
    func crossEntropyWithProbabilities(_ suffix: String, _ reduction: Reduction) throws {
        let name = "ce_prob_\(suffix)"
        let weight = try fx.tensor("\(name).w")
        try checkFunctional(fx, name, inputs: ["x", "p"], sums: lossSums(name)) { t in
            t["x"]!.crossEntropy(probabilities: t["p"]!, weight: weight, labelSmoothing: 0.2, reduction: reduction)
        }
    }

    @Test func crossEntropyOverSpatialPositionsWithIgnoreIndex() throws {
        let targets = try fx.tensor("ce_index_spatial.t")
        try checkFunctional(fx, "ce_index_spatial", inputs: ["x"], sums: lossSums("ce_index_spatial")) { t in
            t["x"]!.crossEntropy(targets: targets, ignoreIndex: 1)
        }
    }

    @Test(arguments: reductions)
    func regressionLosses(_ suffix: String, _ reduction: Reduction) throws {
        try checkFunctional(fx, "mse_\(suffix)", inputs: ["x", "y"], sums: lossSums("mse_\(suffix)")) { t in
            t["x"]!.mseLoss(t["y"]!, reduction: reduction)
        }
        try checkFunctional(fx, "l1_\(suffix)", inputs: ["x", "y"], sums: lossSums("l1_\(suffix)")) { t in t["x"]!.l1Loss(t["y"]!, reduction: reduction)
        }
        try checkFunctional(fx, "smooth_l1_\(suffix)", inputs: ["x", "y"], sums: lossSums("smooth_l1_\(suffix)")) { t in
            t["x"]!.smoothL1Loss(t["y"]!, beta: 0.5, reduction: reduction)
        }
    }

    @Test func charbonnier() throws {
        try checkFunctional(fx, "charbonnier_mean", inputs: ["x", "y"], sums: lossSums("charbonnier_mean")) { t in
            t["x"]!.charbonnierLoss(t["y"]!, epsilon: 1e-3)
        }
        try checkFunctional(fx, "charbonnier_sum", inputs: ["x", "y"], sums: lossSums("charbonnier_sum")) { t in
            t["x"]!.charbonnierLoss(t["y"]!, epsilon: 1e-3, reduction: .sum)
        }
        try checkFunctional(fx, "charbonnier_default", inputs: ["x", "y"], sums: lossSums("charbonnier_default")) { t in t["x"]!.charbonnierLoss(t["y"]!) }
        // ρ(0) = ε, and the unreduced penalty keeps the shape.
        let zero = Tensor.zeros([2, 3])
        expectClose(zero.charbonnierLoss(zero, epsilon: 0.5, reduction: .none), Tensor.full([2, 3], 0.5))
    }

    @Test func badTargetsThrowClearErrors() {
        let logits = Tensor.zeros([4, 3])
        let float = #expect(throws: TorchError.self) { try logits.checked.crossEntropy(targets: Tensor.zeros([4])) }
        #expect(float?.message.contains("use crossEntropy(probabilities:)") == true)
        #expect(throws: TorchError.self) { try logits.checked.crossEntropy(targets: Tensor([0, 1, 2, 3] as [Int32])) }
        // A class index out of range is reported by libtorch.
        #expect(throws: TorchError.self) { try logits.checked.crossEntropy(targets: Tensor([0, 1, 2, 7] as [Int])) }
        #expect(throws: TorchError.self) { try logits.checked.crossEntropy(probabilities: Tensor.zeros([4, 2])) }
        let shape = #expect(throws: TorchError.self) { try logits.checked.mseLoss(Tensor.zeros([4, 1])) }
        #expect(shape?.message.contains("target shape [4, 1] differs from the prediction's [4, 3]") == true)
        #expect(throws: TorchError.self) { try logits.checked.l1Loss(Tensor.zeros([3])) }
        #expect(throws: TorchError.self) { try logits.checked.smoothL1Loss(Tensor.zeros([4])) }
        #expect(throws: TorchError.self) { try logits.checked.charbonnierLoss(Tensor.zeros([1, 3])) }
    }
}
