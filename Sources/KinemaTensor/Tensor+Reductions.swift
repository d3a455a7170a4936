/// Reductions with PyTorch's semantics. Those over several dimensions take `dims` (nil or
/// omitted: every element); those that pick elements (`max(dim:)`, `median(dim:)`) take one
/// `dim` and return the values with their positions. `keepdim` keeps reduced dimensions as size 1.
extension TorchOp {
    static let sum = TorchOp("aten::sum")
    static let sumDims = TorchOp("aten::sum", "dim_IntList")
    static let mean = TorchOp("aten::mean")
    static let meanDims = TorchOp("aten::mean", "dim")
    static let variance = TorchOp("aten::var", "correction")
    static let standardDeviation = TorchOp("aten::std", "correction")
    static let max = TorchOp("aten::max")
    static let maxDim = TorchOp("aten::max", "dim")
    static let min = TorchOp("aten::min")
    static let minDim = TorchOp("aten::min", "dim")
    static let argmax = TorchOp("aten::argmax")
    static let argmin = TorchOp("aten::argmin")
    static let median = TorchOp("aten::median")
    static let medianDim = TorchOp("aten::median", "dim")
    static let vectorNorm = TorchOp("aten::linalg_vector_norm")
    static let prod = TorchOp("aten::prod")
    static let prodDim = TorchOp("aten::prod", "dim_int")
    static let all = TorchOp("aten::all")
    static let allDims = TorchOp("aten::all", "dims")
    static let any = TorchOp("aten::any")
    static let anyDims = TorchOp("aten::any", "dims")
    static let logsumexp = TorchOp("aten::logsumexp")
    static let amax = TorchOp("aten::amax")
    static let amin = TorchOp("aten::amin")
}

extension TorchResults {
    /// The `(values, indices)` pair that `max.dim`, `sort`, `topk` and friends return.
    func valuesAndIndices() throws(TorchError) -> (values: Tensor, indices: Tensor) {
        (try definedTensor(0), try definedTensor(1))
    }
}

/// `int[1]? dim` arguments: None reduces every element.
private func dimsArgument(_ dims: [Int]?) -> TorchArgument { dims.map { .ints($0) } ?? .none }

// MARK: - Throwing twins

extension Tensor.Checked {
    /// `sum(dtype=)`: the sum of every element; integers and bools sum to int64 by default.
    public func sum(dtype: DType? = nil) throws(TorchError) -> Tensor {
        try TorchOp.sum.call(.tensor(base), .dtype(dtype))
    }
    /// `sum(dims, keepdim, dtype=)`.
    public func sum(dims: [Int]?, keepdim: Bool = false, dtype: DType? = nil) throws(TorchError) -> Tensor {
        try TorchOp.sumDims.call(.tensor(base), dimsArgument(dims), .bool(keepdim), .dtype(dtype))
    }
    /// `mean(dtype=)`: the mean of every element; needs a floating-point tensor or `dtype`.
    public func mean(dtype: DType? = nil) throws(TorchError) -> Tensor {
        try TorchOp.mean.call(.tensor(base), .dtype(dtype))
    }
    /// `mean(dims, keepdim, dtype=)`.
    public func mean(dims: [Int]?, keepdim: Bool = false, dtype: DType? = nil) throws(TorchError) -> Tensor {
        try TorchOp.meanDims.call(.tensor(base), dimsArgument(dims), .bool(keepdim), .dtype(dtype))
    }
    /// `var(dims, correction=, keepdim=)`: `sum((x - mean)²) / (N - correction)`; the default
    /// correction 1 is the unbiased (Bessel) estimate, 0 the population variance.
    public func variance(dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false) throws(TorchError)
        -> Tensor
    {
        try TorchOp.variance.call(.tensor(base), dimsArgument(dims), .double(correction), .bool(keepdim))
    }
    /// `std(dims, correction=, keepdim=)`: the square root of ``variance(dims:correction:keepdim:)``.
    public func standardDeviation(dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false)
        throws(TorchError) -> Tensor
    {
        try TorchOp.standardDeviation.call(.tensor(base), dimsArgument(dims), .double(correction), .bool(keepdim))
    }
    /// `max()`: the largest element (throws on an empty tensor).
    public func max() throws(TorchError) -> Tensor { try TorchOp.max.call(.tensor(base)) }
    /// `min()`: the smallest element (throws on an empty tensor).
    public func min() throws(TorchError) -> Tensor { try TorchOp.min.call(.tensor(base)) }
    /// `max(dim, keepdim)`: the largest values along `dim` and their positions (int64).
    public func max(dim: Int, keepdim: Bool = false) throws(TorchError) -> (values: Tensor, indices: Tensor) {
        try TorchOp.maxDim.call(.tensor(base), .int(dim), .bool(keepdim)) { r throws(TorchError) in
            try r.valuesAndIndices()
        }
    }
    /// `min(dim, keepdim)`: the smallest values along `dim` and their positions (int64).
    public func min(dim: Int, keepdim: Bool = false) throws(TorchError) -> (values: Tensor, indices: Tensor) {
        try TorchOp.minDim.call(.tensor(base), .int(dim), .bool(keepdim)) { r throws(TorchError) in
            try r.valuesAndIndices()
        }
    }
    /// `argmax(dim, keepdim)`: positions of the largest values; without `dim`, the flat position.
    public func argmax(dim: Int? = nil, keepdim: Bool = false) throws(TorchError) -> Tensor {
        try TorchOp.argmax.call(.tensor(base), dim.map { .int($0) } ?? .none, .bool(keepdim))
    }
    /// `argmin(dim, keepdim)`: positions of the smallest values; without `dim`, the flat position.
    public func argmin(dim: Int? = nil, keepdim: Bool = false) throws(TorchError) -> Tensor {
        try TorchOp.argmin.call(.tensor(base), dim.map { .int($0) } ?? .none, .bool(keepdim))
    }
    /// `median()`: the lower median of every element (for an even count, the smaller middle value).
    public func median() throws(TorchError) -> Tensor { try TorchOp.median.call(.tensor(base)) }
    /// `median(dim, keepdim)`: the lower medians along `dim` and their positions.
    public func median(dim: Int, keepdim: Bool = false) throws(TorchError) -> (values: Tensor, indices: Tensor) {
        try TorchOp.medianDim.call(.tensor(base), .int(dim), .bool(keepdim)) { r throws(TorchError) in
            try r.valuesAndIndices()
        }
    }
    /// `torch.norm(x, p, dims, keepdim)` for vectors (`linalg.vector_norm`): `(Σ|x|^p)^(1/p)`
    /// over `dims` (nil: every element, flattened); `p = .infinity` is `max|x|`, `-.infinity`
    /// `min|x|`, `0` counts the non-zeros.
    public func norm(p: Double = 2, dims: [Int]? = nil, keepdim: Bool = false) throws(TorchError) -> Tensor {
        try TorchOp.vectorNorm.call(.tensor(base), .double(p), dimsArgument(dims), .bool(keepdim))
    }
    /// `torch.norm(x, "fro", dims, keepdim)`: the square root of the sum of squares over `dims`,
    /// which for one or two dimensions is exactly what PyTorch computes for `"fro"`.
    public func frobeniusNorm(dims: [Int]? = nil, keepdim: Bool = false) throws(TorchError) -> Tensor {
        try norm(p: 2, dims: dims, keepdim: keepdim)
    }
    /// `prod(dtype=)`: the product of every element.
    public func product(dtype: DType? = nil) throws(TorchError) -> Tensor {
        try TorchOp.prod.call(.tensor(base), .dtype(dtype))
    }
    /// `prod(dim, keepdim, dtype=)`.
    public func product(dim: Int, keepdim: Bool = false, dtype: DType? = nil) throws(TorchError) -> Tensor {
        try TorchOp.prodDim.call(.tensor(base), .int(dim), .bool(keepdim), .dtype(dtype))
    }
    /// `all(dims, keepdim)`: true where every element is non-zero (a bool tensor).
    public func all(dims: [Int]? = nil, keepdim: Bool = false) throws(TorchError) -> Tensor {
        guard dims != nil || keepdim else { return try TorchOp.all.call(.tensor(base)) }
        return try TorchOp.allDims.call(.tensor(base), dimsArgument(dims), .bool(keepdim))
    }
    /// `any(dims, keepdim)`: true where some element is non-zero (a bool tensor).
    public func any(dims: [Int]? = nil, keepdim: Bool = false) throws(TorchError) -> Tensor {
        guard dims != nil || keepdim else { return try TorchOp.any.call(.tensor(base)) }
        return try TorchOp.anyDims.call(.tensor(base), dimsArgument(dims), .bool(keepdim))
    }
    /// `logsumexp(dims, keepdim)`: `log Σ exp(x)` over `dims`, computed stably (max subtracted first).
    public func logSumExp(dims: [Int], keepdim: Bool = false) throws(TorchError) -> Tensor {
        try TorchOp.logsumexp.call(.tensor(base), .ints(dims), .bool(keepdim))
    }
    /// `amax(dims, keepdim)`: the largest values over `dims` (no positions; every dim if empty).
    public func amax(dims: [Int] = [], keepdim: Bool = false) throws(TorchError) -> Tensor {
        try TorchOp.amax.call(.tensor(base), .ints(dims), .bool(keepdim))
    }
    /// `amin(dims, keepdim)`: the smallest values over `dims` (no positions; every dim if empty).
    public func amin(dims: [Int] = [], keepdim: Bool = false) throws(TorchError) -> Tensor {
        try TorchOp.amin.call(.tensor(base), .ints(dims), .bool(keepdim))
    }
}

// MARK: - Trapping surface

extension Tensor {
    /// `sum()`: the sum of every element (integers and bools sum to int64 unless `dtype` says).
    public func sum(dtype: DType? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.sum(dtype: dtype) }
    }
    /// `sum(dims, keepdim)`.
    public func sum(
        dims: [Int]?, keepdim: Bool = false, dtype: DType? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.sum(dims: dims, keepdim: keepdim, dtype: dtype) }
    }
    /// `mean()`: the mean of every element.
    public func mean(dtype: DType? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.mean(dtype: dtype) }
    }
    /// `mean(dims, keepdim)`.
    public func mean(
        dims: [Int]?, keepdim: Bool = false, dtype: DType? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.mean(dims: dims, keepdim: keepdim, dtype: dtype) }
    }
    /// `var(dims, correction=1, keepdim)`: unbiased by default, like PyTorch.
    public func variance(
        dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.variance(dims: dims, correction: correction, keepdim: keepdim) }
    }
    /// `std(dims, correction=1, keepdim)`.
    public func standardDeviation(
        dims: [Int]? = nil, correction: Double = 1, keepdim: Bool = false,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.standardDeviation(dims: dims, correction: correction, keepdim: keepdim)
        }
    }
    /// `max()`: the largest element.
    public func max(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.max() }
    }
    /// `min()`: the smallest element.
    public func min(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.min() }
    }
    /// `max(dim, keepdim)`: the largest values along `dim` and their positions.
    public func max(
        dim: Int, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> (values: Tensor, indices: Tensor) {
        orTrap(file: file, line: line) { try checked.max(dim: dim, keepdim: keepdim) }
    }
    /// `min(dim, keepdim)`: the smallest values along `dim` and their positions.
    public func min(
        dim: Int, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> (values: Tensor, indices: Tensor) {
        orTrap(file: file, line: line) { try checked.min(dim: dim, keepdim: keepdim) }
    }
    /// `argmax(dim, keepdim)`; without `dim`, the flat position of the largest element.
    public func argmax(
        dim: Int? = nil, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.argmax(dim: dim, keepdim: keepdim) }
    }
    /// `argmin(dim, keepdim)`; without `dim`, the flat position of the smallest element.
    public func argmin(
        dim: Int? = nil, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.argmin(dim: dim, keepdim: keepdim) }
    }
    /// `median()`: the lower median of every element.
    public func median(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.median() }
    }
    /// `median(dim, keepdim)`: the lower medians along `dim` and their positions.
    public func median(
        dim: Int, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> (values: Tensor, indices: Tensor) {
        orTrap(file: file, line: line) { try checked.median(dim: dim, keepdim: keepdim) }
    }
    /// `torch.norm(x, p, dims, keepdim)` for vectors; `p` may be `.infinity`.
    public func norm(
        p: Double = 2, dims: [Int]? = nil, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.norm(p: p, dims: dims, keepdim: keepdim) }
    }
    /// `torch.norm(x, "fro", dims, keepdim)`.
    public func frobeniusNorm(
        dims: [Int]? = nil, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.frobeniusNorm(dims: dims, keepdim: keepdim) }
    }
    /// `prod()`: the product of every element.
    public func product(dtype: DType? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.product(dtype: dtype) }
    }
    /// `prod(dim, keepdim)`.
    public func product(
        dim: Int, keepdim: Bool = false, dtype: DType? = nil, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.product(dim: dim, keepdim: keepdim, dtype: dtype) }
    }
    /// `all(dims, keepdim)`: true where every element is non-zero.
    public func all(
        dims: [Int]? = nil, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.all(dims: dims, keepdim: keepdim) }
    }
    /// `any(dims, keepdim)`: true where some element is non-zero.
    public func any(
        dims: [Int]? = nil, keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.any(dims: dims, keepdim: keepdim) }
    }
    /// `logsumexp(dims, keepdim)`, computed stably.
    public func logSumExp(
        dims: [Int], keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.logSumExp(dims: dims, keepdim: keepdim) }
    }
    /// `amax(dims, keepdim)`: the largest values over `dims` (every dim if empty).
    public func amax(
        dims: [Int] = [], keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.amax(dims: dims, keepdim: keepdim) }
    }
    /// `amin(dims, keepdim)`: the smallest values over `dims` (every dim if empty).
    public func amin(
        dims: [Int] = [], keepdim: Bool = false, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.amin(dims: dims, keepdim: keepdim) }
    }
}
