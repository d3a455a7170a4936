import KinemaTensor
import KinemaTestSupport
import Testing

/// `x[...]` reads and writes against PyTorch's indexing ("index.*").
@Suite struct IndexingTests {
    @Test func readsMatchPyTorch() throws {
        let f = try opsFixture()
        let x = try f.tensor("index.x")
        let (idx, idx2, idx3) = (try f.tensor("index.idx"), try f.tensor("index.idx2"), try f.tensor("index.idx3"))
        let mask = try f.tensor("index.mask")
        let maskRows = try f.tensor("index.mask_rows"), maskLast = try f.tensor("index.mask_last")
        let cases: [(String, Tensor)] = [
            ("int", x[1]),                                       // x[1]
            ("negative", x[-1]),                                 // x[-1]
            ("range", x[1..<3]),                                 // x[1:3]
            ("from", x[2...]),                                   // x[2:]
            ("upto", x[..<3]),                                   // x[:3]
            ("all_int", x[.all, 0]),                             // x[:, 0]
            ("ellipsis_int", x[.ellipsis, 0]),                   // x[..., 0]
            ("newaxis", x[.newAxis]),                            // x[None]
            ("strided", x[.slice(by: 2), .slice(from: 1, to: 5, by: 2)]),  // x[::2, 1:5:2]
            ("tensor", x[idx]),                                  // x[idx]
            ("mask", x[mask]),                                   // x[mask]
            ("tensor_2d_then_int", x[.all, idx2, 1]),            // x[:, idx2, 1]
            ("two_tensors", x[idx, .all, idx3]),                 // x[idx, :, idx3]
            ("mixed", x[1, .ellipsis, .newAxis, 2...]),          // x[1, ..., None, 2:]
            ("closed_negative", x[-3 ... -1, 1...3]),            // x[-3:, 1:4]
            ("list", x[[0, 2]]),                                 // x[[0, 2]]
            ("mask_rows", x[maskRows]),                          // x[mask_rows]
            ("mask_last", x[.ellipsis, maskLast]),               // x[..., mask_last]
            ("range_tensor", x[1..<3, Tensor([4, 1])]),          // x[1:3, tensor([4, 1])]
            ("element", x[1, 2, 3]),                             // x[1, 2, 3]
            ("mask_then_slice", x[mask, 1..<4]),                 // x[mask, 1:4]
            ("newaxis_between_tensors", x[idx, .newAxis, .all, idx3]),  // x[idx, None, :, idx3]
            ("list_then_ellipsis", x[.all, [1, 3], .ellipsis]),  // x[:, [1, 3], ...]
            ("zero_dim_tensor", x[Tensor(scalar: 2)]),           // x[tensor(2)]
        ]
        for (name, actual) in cases {
            expectParity(actual, try f.tensor("index.get.\(name)"), name)
        }
        let element: Float = x[1, 2, 3]
        #expect(element == (try f.tensor("index.get.element")).item(Float.self))
        expectParity(try x.checked.indexed(idx, .all, idx3), try f.tensor("index.get.two_tensors"))
    }

    @Test func writesMatchPyTorch() throws {
        let f = try opsFixture()
        let x = try f.tensor("index.x")
        let mask = try f.tensor("index.mask")
        let cases: [(String, (Tensor) throws -> Void)] = [
            ("range_int_scalar", { $0[1..<3, 0] = 7.0 }),                                    // y[1:3, 0] = 7.0
            ("mask_values", { $0[mask] = try f.tensor("index.values") }),                     // y[mask] = values
            ("tensor_int", { $0[Tensor([0, 3]), 2] = try f.tensor("index.plane") }),          // y[[0, 3], 2] = plane
            ("ellipsis_broadcast", { $0[.ellipsis, -1] = try f.tensor("index.row") }),        // y[..., -1] = row
            ("leading_one", { $0[0] = try f.tensor("index.slab") }),                          // y[0] = slab ([1, 5, 6])
            ("all_all_scalar", { $0[.all, .all, 0] = -1.0 }),                                 // y[:, :, 0] = -1.0
            ("mask_scalar", { $0[mask] = 0.0 }),                                              // y[mask] = 0.0
        ]
        for (name, write) in cases {
            let y = x.copied()
            try write(y)
            expectParity(y, try f.tensor("index.set.\(name)"), name)
        }
        let y = x.copied()
        try y.checked.assign(7.0, at: 1..<3, 0)
        expectParity(y, try f.tensor("index.set.range_int_scalar"), "checked assign")
    }

    @Test func basicIndexingGivesViewsAdvancedGivesCopies() {
        let x = Tensor.zeros([4, 5])
        let row = x[1]
        let block = x[1..<3, .slice(by: 2)]
        let picked = x[[0, 1]]
        x.fillInPlace(2)
        #expect(row.min().item(Float.self) == 2 && block.min().item(Float.self) == 2)
        #expect(picked.max().item(Float.self) == 0, "advanced indexing copies")
        // Writing through a basic view changes the base.
        x[2][.all] = Tensor.full([5], 9.0)
        #expect(x[2].min().item(Float.self) == 9)
        // x[...] is a new handle on the same memory, as in PyTorch.
        #expect(!x[.ellipsis].isSameTensor(as: x))
        let integerIndexed = Tensor.arange(0, 12).reshaped([3, 4])
        integerIndexed[1, 2] = 100
        #expect(integerIndexed[1, 2] as Int == 100)
    }

    @Test func closedRangesIncludeTheirUpperBound() {
        let x = Tensor.arange(0, 10)
        #expect(x[2...4].array(of: Int.self) == [2, 3, 4])
        #expect(x[...2].array(of: Int.self) == [0, 1, 2])
        #expect(x[-2 ... -1].array(of: Int.self) == [8, 9])
        #expect(x[.slice(from: -4, by: 3)].array(of: Int.self) == [6, 9])
        #expect(x[20...].shape == [0], "out-of-range slice bounds clamp, as in Python")
    }
}
