import KinemaTensor
import KinemaTestSupport
import Testing

/// Reductions against PyTorch ("reduce.*").
@Suite struct ReductionTests {
    @Test func reductionsMatchPyTorch() throws {
        let f = try opsFixture()
        let r = try f.tensor("reduce.r"), pr = try f.tensor("reduce.pr")
        let flags = try f.tensor("reduce.flags"), ri = try f.tensor("reduce.ri")
        let cases: [(String, Tensor)] = [
            ("sum", r.sum()), ("sum_dims_keepdim", r.sum(dims: [0, 2], keepdim: true)), ("sum_int", ri.sum()),
            ("sum_float64", r.sum(dtype: .float64)), ("mean", r.mean()), ("mean_dim", r.mean(dims: [1])),
            ("mean_last_keepdim", r.mean(dims: [-1], keepdim: true)), ("mean_int_as_float", ri.mean(dtype: .float32)),
            ("var", r.variance()), ("var_dim_population", r.variance(dims: [1], correction: 0)),
            ("std_dims_keepdim", r.standardDeviation(dims: [0, 2], keepdim: true)), ("std", r.standardDeviation()),
            ("max", r.max()), ("min", r.min()), ("argmax", r.argmax()),
            ("argmax_dim_keepdim", r.argmax(dim: 1, keepdim: true)),
            ("argmin_dim", r.argmin(dim: 0)), ("median", r.median()),
            ("norm", r.norm()), ("norm_p1", r.norm(p: 1, dims: [2])), ("norm_inf", r.norm(p: .infinity, dims: [1, 2])),
            ("norm_neg_inf", r.norm(p: -.infinity, dims: [0])), ("norm_half", r.norm(p: 0.5, dims: [1])),
            ("norm_fro", r.frobeniusNorm(dims: [1, 2], keepdim: true)),
            ("prod", pr.product()), ("prod_dim_keepdim", pr.product(dim: 1, keepdim: true)),
            ("all", flags.all()), ("any", flags.any()), ("all_dim", flags.all(dims: [1])),
            ("any_dim_keepdim", flags.any(dims: [0], keepdim: true)),
            ("logsumexp", r.logSumExp(dims: [1])), ("amax", r.amax(dims: [0, 2])),
            ("amin_keepdim", r.amin(dims: [1], keepdim: true)),
        ]
        // Every reduction adds at most the 60 elements of r, or their squares (variance, norms).
        let atol = Float32Tolerance.sums(of: r.count, magnitude: Float32Tolerance.termMagnitude([r, r]))
        for (name, actual) in cases {
            expectParity(actual, try f.tensor("reduce.\(name)"), atol: atol, name)
        }
    }

    @Test func reductionsWithPositionsMatchPyTorch() throws {
        let f = try opsFixture()
        let r = try f.tensor("reduce.r")
        try expectPairParity(r.max(dim: 1), "reduce.max_dim", in: f)
        try expectPairParity(r.min(dim: 2, keepdim: true), "reduce.min_dim_keepdim", in: f)
        try expectPairParity(r.median(dim: 1), "reduce.median_dim", in: f)
    }

    @Test func smallCasesByHand() {
        let x = Tensor([1, 5, 3, 4] as [Double], shape: [2, 2])
        #expect(x.median().item(Double.self) == 3, "lower median of an even count")
        #expect(x.variance(correction: 0).item(Double.self) == 2.1875)
        #expect(x.norm(p: .infinity).item(Double.self) == 5)
        #expect(x.norm(p: 0).item(Double.self) == 4, "p = 0 counts non-zeros")
        #expect(x.amax().item(Double.self) == 5 && x.amin().item(Double.self) == 1)
        #expect(Tensor([true, false]).all().item(Bool.self) == false)
    }
}
