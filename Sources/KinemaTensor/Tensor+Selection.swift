/// Picking, scattering and ordering elements: gather/scatter, masks, `where`, sorting, top-k,
/// cumulative sums. Index tensors are int64 (int32 where PyTorch accepts it), masks are bool.
extension TorchOp {
    static let gather = TorchOp("aten::gather")
    static let scatterSource = TorchOp("aten::scatter", "src")
    static let scatterValue = TorchOp("aten::scatter", "value")
    static let scatterAdd = TorchOp("aten::scatter_add")
    static let indexSelect = TorchOp("aten::index_select")
    static let maskedFill = TorchOp("aten::masked_fill", "Scalar")
    static let whereTensors = TorchOp("aten::where", "self")
    static let whereScalarOther = TorchOp("aten::where", "ScalarOther")
    static let whereScalarSelf = TorchOp("aten::where", "ScalarSelf")
    static let sortStable = TorchOp("aten::sort", "stable")
    static let argsortStable = TorchOp("aten::argsort", "stable")
    static let topk = TorchOp("aten::topk")
    static let cumsum = TorchOp("aten::cumsum")
    static let nonzero = TorchOp("aten::nonzero")
    static let unique = TorchOp("aten::_unique2")
}

// MARK: - Throwing twins

extension Tensor.Checked {
    /// `gather(dim, index)`: `out[i][j][k] = self[index[i][j][k]][j][k]` for `dim = 0` (and so on);
    /// the result has `index`'s shape.
    public func gathered(dim: Int, index: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.gather.call(.tensor(base), .int(dim), .tensor(index))
    }
    /// `scatter(dim, index, src)`: a copy of `self` with `out[index[i][j]][j] = src[i][j]` (for
    /// `dim = 0`); when indices repeat, which write wins is unspecified, as in PyTorch.
    public func scattered(dim: Int, index: Tensor, src: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.scatterSource.call(.tensor(base), .int(dim), .tensor(index), .tensor(src))
    }
    /// `scatter(dim, index, value)`: a copy of `self` with `value` written at the indexed places.
    public func scattered(dim: Int, index: Tensor, value: some TensorScalar) throws(TorchError) -> Tensor {
        try TorchOp.scatterValue.call(.tensor(base), .int(dim), .tensor(index), value.torchArgument)
    }
    /// `scatter_add(dim, index, src)`: like ``scattered(dim:index:src:)`` but repeated indices add up.
    public func scatterAdded(dim: Int, index: Tensor, src: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.scatterAdd.call(.tensor(base), .int(dim), .tensor(index), .tensor(src))
    }
    /// `index_select(dim, index)`: the slices at the positions in the 1-D `index`, along `dim`.
    public func indexSelected(dim: Int, index: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.indexSelect.call(.tensor(base), .int(dim), .tensor(index))
    }
    /// `masked_fill(mask, value)`: `value` where the (broadcast) bool `mask` is true.
    public func masked(fill mask: Tensor, with value: some TensorScalar) throws(TorchError) -> Tensor {
        try TorchOp.maskedFill.call(.tensor(base), .tensor(mask), value.torchArgument)
    }
    /// `torch.where(condition, a, b)`: `a` where the bool `condition` is true, else `b`; all
    /// three broadcast, and `a`/`b` promote to a common dtype.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.whereTensors.call(.tensor(condition), .tensor(a), .tensor(b))
    }
    /// `torch.where(condition, a, b)` with a number for `b`.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: some TensorScalar) throws(TorchError) -> Tensor {
        try TorchOp.whereScalarOther.call(.tensor(condition), .tensor(a), b.torchArgument)
    }
    /// `torch.where(condition, a, b)` with a number for `a`.
    public static func `where`(_ condition: Tensor, _ a: some TensorScalar, _ b: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.whereScalarSelf.call(.tensor(condition), a.torchArgument, .tensor(b))
    }
    /// `sort(dim, descending, stable)`: the values in order along `dim` and where they came from.
    /// `stable` keeps equal elements in their original order.
    public func sorted(dim: Int = -1, descending: Bool = false, stable: Bool = false) throws(TorchError)
        -> (values: Tensor, indices: Tensor)
    {
        try TorchOp.sortStable.call(.tensor(base), .bool(stable), .int(dim), .bool(descending)) {
            r throws(TorchError) in try r.valuesAndIndices()
        }
    }
    /// `argsort(dim, descending, stable)`: the positions that would sort `self` along `dim`.
    public func argsorted(dim: Int = -1, descending: Bool = false, stable: Bool = false) throws(TorchError) -> Tensor {
        try TorchOp.argsortStable.call(.tensor(base), .bool(stable), .int(dim), .bool(descending))
    }
    /// `topk(k, dim, largest, sorted)`: the `k` largest (or smallest) values along `dim` and
    /// their positions; throws when `k` exceeds the dimension's size.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true) throws(TorchError)
        -> (values: Tensor, indices: Tensor)
    {
        try TorchOp.topk.call(.tensor(base), .int(k), .int(dim), .bool(largest), .bool(sorted)) {
            r throws(TorchError) in try r.valuesAndIndices()
        }
    }
    /// `cumsum(dim, dtype=)`: running sums along `dim` (integers accumulate in int64).
    public func cumulativeSum(dim: Int, dtype: DType? = nil) throws(TorchError) -> Tensor {
        try TorchOp.cumsum.call(.tensor(base), .int(dim), .dtype(dtype))
    }
}

// MARK: - Trapping surface

extension Tensor {
    /// `gather(dim, index)`: picks along `dim` at `index`'s positions; the result has its shape.
    public func gathered(dim: Int, index: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.gathered(dim: dim, index: index) }
    }
    /// `scatter(dim, index, src)`: a copy with `src` written at the indexed places.
    public func scattered(
        dim: Int, index: Tensor, src: Tensor, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.scattered(dim: dim, index: index, src: src) }
    }
    /// `scatter(dim, index, value)`: a copy with `value` written at the indexed places.
    public func scattered(
        dim: Int, index: Tensor, value: some TensorScalar, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.scattered(dim: dim, index: index, value: value) }
    }
    /// `scatter_add(dim, index, src)`: repeated indices add up.
    public func scatterAdded(
        dim: Int, index: Tensor, src: Tensor, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.scatterAdded(dim: dim, index: index, src: src) }
    }
    /// `index_select(dim, index)`: the slices at the positions in the 1-D `index`.
    public func indexSelected(dim: Int, index: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.indexSelected(dim: dim, index: index) }
    }
    /// `masked_fill(mask, value)`: `value` where the bool `mask` is true.
    public func masked(
        fill mask: Tensor, with value: some TensorScalar, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.masked(fill: mask, with: value) }
    }
    /// `torch.where(condition, a, b)`: `a` where `condition` is true, else `b`.
    public static func `where`(
        _ condition: Tensor, _ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try Checked.where(condition, a, b) }
    }
    /// `torch.where(condition, a, b)` with a number for `b`.
    public static func `where`(
        _ condition: Tensor, _ a: Tensor, _ b: some TensorScalar, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try Checked.where(condition, a, b) }
    }
    /// `torch.where(condition, a, b)` with a number for `a`.
    public static func `where`(
        _ condition: Tensor, _ a: some TensorScalar, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try Checked.where(condition, a, b) }
    }
    /// `sort(dim, descending, stable)`: sorted values and their original positions.
    public func sorted(
        dim: Int = -1, descending: Bool = false, stable: Bool = false,
        file: StaticString = #fileID, line: UInt = #line
    ) -> (values: Tensor, indices: Tensor) {
        orTrap(file: file, line: line) { try checked.sorted(dim: dim, descending: descending, stable: stable) }
    }
    /// `argsort(dim, descending, stable)`: the positions that would sort `self`.
    public func argsorted(
        dim: Int = -1, descending: Bool = false, stable: Bool = false,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.argsorted(dim: dim, descending: descending, stable: stable) }
    }
    /// `topk(k, dim, largest, sorted)`: the `k` largest (or smallest) values and their positions.
    public func topk(
        _ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true,
        file: StaticString = #fileID, line: UInt = #line
    ) -> (values: Tensor, indices: Tensor) {
        orTrap(file: file, line: line) { try checked.topk(k, dim: dim, largest: largest, sorted: sorted) }
    }
    /// `cumsum(dim, dtype=)`: running sums along `dim`.
    public func cumulativeSum(
        dim: Int, dtype: DType? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.cumulativeSum(dim: dim, dtype: dtype) }
    }
    /// `nonzero()`: the positions of the non-zero elements, `[count, rank]` int64, in row-major order.
    public func nonzero(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try TorchOp.nonzero.call(.tensor(self)) }
    }
    /// `torch.unique(x, sorted, return_inverse=True, return_counts=True)`: the distinct values
    /// (flattened), for each element the position of its value there, and how often each occurs.
    public func unique(
        sorted: Bool = true, file: StaticString = #fileID, line: UInt = #line
    ) -> (values: Tensor, inverseIndices: Tensor, counts: Tensor) {
        orTrap(file: file, line: line) {
            try TorchOp.unique.call(.tensor(self), .bool(sorted), .bool(true), .bool(true)) { r throws(TorchError) in
                (try r.definedTensor(0), try r.definedTensor(1), try r.definedTensor(2))
            }
        }
    }
}
