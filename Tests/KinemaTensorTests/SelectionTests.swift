import KinemaTensor
import KinemaTestSupport
import Testing

/// Gather/scatter, masks, where, sorting, top-k, cumulative sums against PyTorch ("select.*").
@Suite struct SelectionTests {
    @Test func gatherScatterAndMasksMatchPyTorch() throws {
        let f = try opsFixture()
        func t(_ name: String) throws -> Tensor { try f.tensor("select.\(name)") }
        let (s, src) = (try t("s"), try t("src"))
        let zeros = Tensor.zeros([3, 5])
        let cases: [(String, Tensor)] = [
            ("gather", s.gathered(dim: 1, index: try t("gather_index"))),
            ("scatter", zeros.scattered(dim: 1, index: try t("scatter_index"), src: src)),
            ("scatter_value", s.scattered(dim: 1, index: try t("scatter_index"), value: 9.0)),
            ("scatter_add", zeros.scatterAdded(dim: 1, index: try t("add_index"), src: src)),
            ("index_select", s.indexSelected(dim: 1, index: Tensor([4, 0, 0]))),
            ("masked_fill", s.masked(fill: s .> 0, with: -1.0)),
            ("where", Tensor.where(s .> 0, s, s * 10)),
            ("where_scalar_other", Tensor.where(s .> 0, s, 0.0)),
            ("where_scalar_self", Tensor.where(s .> 0, 1.0, s)),
        ]
        for (name, actual) in cases {
            expectParity(actual, try t(name), name)
        }
        #expect(zeros.sum().item(Float.self) == 0, "scatter leaves its input alone")
    }

    @Test func orderingMatchesPyTorch() throws {
        let f = try opsFixture()
        func t(_ name: String) throws -> Tensor { try f.tensor("select.\(name)") }
        let (s, ties) = (try t("s"), try t("ties"))
        try expectPairParity(s.sorted(), "select.sort", in: f)
        try expectPairParity(s.sorted(dim: 0, descending: true), "select.sort_dim0_descending", in: f)
        try expectPairParity(ties.sorted(stable: true), "select.sort_stable", in: f)
        try expectPairParity(s.topk(2, dim: 1), "select.topk", in: f)
        try expectPairParity(s.topk(2, dim: 0, largest: false), "select.topk_smallest_dim0", in: f)
        expectParity(s.argsorted(dim: 1, descending: true), try t("argsort_descending"))
        expectParity(ties.argsorted(stable: true), try t("argsort_stable"))
        expectParity(s.cumulativeSum(dim: 1), try t("cumsum"))
        expectParity(ties.cumulativeSum(dim: 0), try t("cumsum_int"))
        expectParity(try t("counts").nonzero(), try t("nonzero"))
        let unique = ties.unique()
        expectParity(unique.values, try t("unique.values"))
        expectParity(unique.inverseIndices, try t("unique.inverse"))
        expectParity(unique.counts, try t("unique.counts"))
    }
}
