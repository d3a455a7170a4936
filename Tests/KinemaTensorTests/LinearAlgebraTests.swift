import KinemaTensor
import KinemaTestSupport
import Testing

/// Matrix products and einsum against PyTorch ("linalg.*").
@Suite struct LinearAlgebraTests {
    @Test func productsMatchPyTorch() throws {
        let f = try opsFixture()
        func t(_ name: String) throws -> Tensor { try f.tensor("linalg.\(name)") }
        let m = try t("m"), n = try t("n"), bm = try t("bm"), bn = try t("bn"), p = try t("p"), q = try t("q")
        let v = try t("v"), u = try t("u"), w = try t("w"), bias = try t("bias")
        let cases: [(String, Tensor)] = [
            ("mm", m.mm(n)), ("bmm", bm.bmm(bn)), ("matmul_broadcast", p.matmul(q)), ("matmul_vec_mat", v.matmul(n)),
            ("matmul_vec_vec", v.matmul(v)), ("outer", u.outer(v)),
            ("einsum_bmm", Tensor.einsum("bij,bjk->bik", bm, bn)),
            ("einsum_trace_rows", Tensor.einsum("ij,ij->i", [m, m])), ("linear", bm.linear(weight: w, bias: bias)),
            ("linear_nobias", m.linear(weight: w)),
        ]
        // Every product here adds 4 terms (the inner dimension is 4 throughout).
        let atol = Float32Tolerance.sums(of: 4, magnitude: Float32Tolerance.termMagnitude([m, n, bm, bn, p, q, v, u, w]))
        for (name, actual) in cases {
            expectParity(actual, try t(name), atol: atol, name)
        }
    }
}
