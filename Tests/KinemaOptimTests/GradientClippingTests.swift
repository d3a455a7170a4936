import KinemaOptim
import KinemaTestSupport
import Testing

/// `clipGradNorm` against `torch.nn.utils.clip_grad_norm_` (gen_optim.py): the returned total
/// norm and the clipped gradients, for norm types 2, ∞ and 3, clipping and not.
@Suite struct GradientClippingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let maxNorm: Double
        let normType: Double
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "l2", maxNorm: 1, normType: 2), Case(name: "inf", maxNorm: 0.5, normType: .infinity),
        Case(name: "p3", maxNorm: 2, normType: 3), Case(name: "l2_unclipped", maxNorm: 1e3, normType: 2),
    ]

    @Test(arguments: cases)
    func matchesPyTorch(_ c: Case) throws {
        let f = try OptimFixture()
        var parameters: [Tensor] = []
        for j in 0..<3 {
            let gradient = try f.tensor("clip.grad.\(j)")
            let parameter = gradient.zerosLike().requiringGrad()
            parameter.grad = gradient.copied()
            parameters.append(parameter)
        }
        parameters.append(Tensor.zeros([3]).requiringGrad())  // no gradient: skipped

        let norm = clipGradNorm(parameters, maxNorm: c.maxNorm, normType: c.normType)
        expectClose(norm, try f.tensor("clip.\(c.name).norm"), "\(c.name) total norm")
        for j in 0..<3 {
            expectClose(parameters[j].grad!, try f.tensor("clip.\(c.name).grad.\(j)"), "\(c.name) gradient \(j)")
        }
        #expect(parameters[3].grad == nil)
    }

    @Test func noGradientsGiveANormOfZero() {
        let norm = clipGradNorm([Tensor.zeros([2]).requiringGrad()], maxNorm: 1)
        #expect(norm.item(Float.self) == 0)
    }
}
