/// PyTorch's `x[...]` indexing as Swift subscripts.
///
/// ```swift
/// x[0]                        // x[0]           select: a view without dimension 0
/// x[1..<3], x[2...], x[..<4]  // x[1:3], x[2:], x[:4]   views
/// x[.all, -1]                 // x[:, -1]
/// x[.ellipsis, 0]             // x[..., 0]
/// x[.newAxis]                 // x[None]
/// x[.slice(from: 1, by: 2)]   // x[1::2]
/// x[indices], x[mask]         // advanced: int64 index tensors, bool masks (copies)
/// x[mask] = 0;  x[0] = row    // assignment writes into x
/// let v: Float = x[1, 2]      // one element as a Swift number
/// ```
///
/// Swift ranges need `lower <= upper`, so bounds of mixed sign such as Python's `1:-1` are written
/// `.slice(from: 1, to: -1)`.
///
/// Basic indices (integers, slices, `.all`, `.ellipsis`, `.newAxis`) give views, as in PyTorch;
/// any tensor index makes the result a copy through `aten::index`. The trapping subscripts trap on
/// an out-of-range index; `try x.checked.indexed(...)` and `try x.checked.assign(_:at:)` throw a
/// ``TorchError`` with code `.index` instead.
public struct TensorIndex {
    enum Kind {
        case integer(Int)
        case slice(start: Int?, end: Int?, step: Int)
        case ellipsis
        case newAxis
        case tensor(Tensor)
    }

    let kind: Kind
}

/// A value usable inside `x[...]`: `Int`, Swift ranges, `Tensor`, `[Int]` and ``TensorIndex``
/// (`.all`, `.ellipsis`, `.newAxis`, `.slice(from:to:by:)`).
public protocol TensorIndexExpression {
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexExpression {
    public var tensorIndex: TensorIndex { self }
}

extension TensorIndexExpression where Self == TensorIndex {
    /// Every element of one dimension (`:`).
    public static var all: TensorIndex { TensorIndex(kind: .slice(start: nil, end: nil, step: 1)) }
    /// As many `.all` as needed to cover the dimensions not indexed otherwise (`...`).
    public static var ellipsis: TensorIndex { TensorIndex(kind: .ellipsis) }
    /// A new size-1 dimension here (`None`).
    public static var newAxis: TensorIndex { TensorIndex(kind: .newAxis) }
    /// Python's `start:end:step`: nil bounds take the whole side, negative bounds count from the
    /// end, out-of-range bounds clamp, and `step` must be positive (as in PyTorch).
    public static func slice(from start: Int? = nil, to end: Int? = nil, by step: Int = 1) -> TensorIndex {
        TensorIndex(kind: .slice(start: start, end: end, step: step))
    }
}

extension Int: TensorIndexExpression {
    /// One position (negative counts from the end); removes the dimension.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .integer(self)) }
}

extension Range<Int>: TensorIndexExpression {
    /// `lower..<upper` is Python's `lower:upper`.
    public var tensorIndex: TensorIndex { .slice(from: lowerBound, to: upperBound) }
}

extension ClosedRange<Int>: TensorIndexExpression {
    /// `lower...upper` includes `upper`; `-3...-1` is Python's `-3:`.
    public var tensorIndex: TensorIndex { .slice(from: lowerBound, to: inclusiveEnd(upperBound)) }
}

extension PartialRangeFrom<Int>: TensorIndexExpression {
    /// `lower...` is Python's `lower:`.
    public var tensorIndex: TensorIndex { .slice(from: lowerBound) }
}

extension PartialRangeUpTo<Int>: TensorIndexExpression {
    /// `..<upper` is Python's `:upper`.
    public var tensorIndex: TensorIndex { .slice(to: upperBound) }
}

extension PartialRangeThrough<Int>: TensorIndexExpression {
    /// `...upper` includes `upper`.
    public var tensorIndex: TensorIndex { .slice(to: inclusiveEnd(upperBound)) }
}

/// The exclusive end after an inclusive `upper`; -1 (the last element) means "to the end".
private func inclusiveEnd(_ upper: Int) -> Int? { upper == -1 ? nil : upper + 1 }

extension Tensor: TensorIndexExpression {
    /// An int64/int32 tensor picks positions (advanced indexing); a bool/uint8 mask of the
    /// following dimensions' shape picks the elements where it is true.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .tensor(self)) }
}

extension Array: TensorIndexExpression where Element == Int {
    /// A list of positions, like `x[[0, 2]]` in PyTorch (advanced indexing).
    public var tensorIndex: TensorIndex { TensorIndex(kind: .tensor(Tensor(self))) }
}

extension TorchOp {
    static let index = TorchOp("aten::index", "Tensor")
    static let indexPutInPlace = TorchOp("aten::index_put_")
}

// MARK: - Throwing twins

extension Tensor.Checked {
    /// `self[indices]`: see ``TensorIndex``. Throws (code `.index`) on an out-of-range position or
    /// too many indices.
    public func indexed(_ indices: any TensorIndexExpression...) throws(TorchError) -> Tensor {
        try indexed(indices.map(\.tensorIndex))
    }

    /// `self[indices] = value`: writes `value` (broadcast to the indexed shape, converted to this
    /// tensor's dtype) into `self`.
    public func assign(_ value: Tensor, at indices: any TensorIndexExpression...) throws(TorchError) {
        try assign(value, at: indices.map(\.tensorIndex))
    }

    /// `self[indices] = value` for a number.
    public func assign(_ value: some TensorScalar, at indices: any TensorIndexExpression...) throws(TorchError) {
        try assign(scalarTensor(value), at: indices.map(\.tensorIndex))
    }

    func indexed(_ indices: [TensorIndex]) throws(TorchError) -> Tensor {
        let (view, advanced) = try applyBasicIndices(indices)
        guard let advanced else { return view.isSameTensor(as: base) ? try TorchOp.alias.call(.tensor(view)) : view }
        return try TorchOp.index.call(.tensor(view), .optionalTensors(advanced))
    }

    func assign(_ value: Tensor, at indices: [TensorIndex]) throws(TorchError) {
        let (view, advanced) = try applyBasicIndices(indices)
        // Like PyTorch's setitem, leading size-1 dimensions of the value are dropped first, so a
        // `[1, n]` row can be written into an `[n]` slot.
        let leadingOnes = value.shape.prefix { $0 == 1 }.count
        let source = leadingOnes == 0 ? value : try value.checked.reshaped(Array(value.shape.dropFirst(leadingOnes)))
        if let advanced {
            _ = try TorchOp.indexPutInPlace.call(.tensor(view), .optionalTensors(advanced), .tensor(source))
        } else {
            _ = try TorchOp.copyInPlace.call(.tensor(view), .tensor(source), .bool(false))
        }
    }

    /// A zero-dimensional tensor of `base`'s dtype and device holding `value`.
    fileprivate func scalarTensor(_ value: some TensorScalar) throws(TorchError) -> Tensor {
        try Tensor.checkedFactory(.full, [.ints([]), value.torchArgument], dtype: base.dtype, device: base.device)
    }

    /// Applies the basic indices as views, in PyTorch's order (`applySlicing` in
    /// ATen/TensorIndexing.h), and collects the tensor indices for `aten::index`: nil when there
    /// are none, else one entry per indexed position (nil where a dimension is kept whole).
    private func applyBasicIndices(
        _ indices: [TensorIndex]
    ) throws(TorchError) -> (view: Tensor, advanced: [Tensor?]?) {
        let rank = base.rank
        let specified = indices.reduce(0) { $0 + $1.dimensionsConsumed }
        func indexError(_ message: String) -> TorchError {
            TorchError(code: .index, op: "Tensor.subscript", message: message, operands: [base.summary])
        }
        guard specified <= rank else {
            throw indexError("too many indices for tensor of dimension \(rank): \(specified) dimensions indexed")
        }
        guard indices.count(where: \.isEllipsis) <= 1 else {
            throw indexError("an index can only have a single ellipsis")
        }
        var view = base
        var dim = 0
        var advanced: [Tensor?] = []
        var hasTensor = false
        // Slices, ellipses and new axes leave an empty slot once a tensor index has been seen, so
        // the tensor indices keep their positions relative to each other.
        func keep(_ n: Int) { if hasTensor { advanced += [Tensor?](repeating: nil, count: n) } }
        for index in indices {
            switch index.kind {
            case .integer(let i):
                view = try view.checked.selected(dim: dim, index: i)
            case .slice(let start, let end, let step):
                view = try view.checked.sliced(dim: dim, start: start, end: end, step: step)
                dim += 1
                keep(1)
            case .ellipsis:
                dim += rank - specified
                keep(rank - specified)
            case .newAxis:
                view = try view.checked.unsqueezed(dim)
                dim += 1
                keep(1)
            case .tensor(let t):
                if !hasTensor { advanced = [Tensor?](repeating: nil, count: dim) }
                hasTensor = true
                advanced.append(t)
                dim += index.dimensionsConsumed
            }
        }
        guard hasTensor else { return (view, nil) }
        while let last = advanced.last, last == nil { advanced.removeLast() }
        return (view, advanced)
    }
}

extension TensorIndex {
    var isEllipsis: Bool {
        if case .ellipsis = kind { true } else { false }
    }

    /// How many dimensions of the indexed tensor this index uses up (a mask uses its rank).
    var dimensionsConsumed: Int {
        switch kind {
        case .integer, .slice: 1
        case .ellipsis, .newAxis: 0
        case .tensor(let t): t.dtype == .bool || t.dtype == .uint8 ? t.rank : 1
        }
    }
}

// MARK: - Trapping subscripts

extension Tensor {
    /// `self[indices]`, read and written; see ``TensorIndex``. Traps on an out-of-range index.
    public subscript(_ indices: any TensorIndexExpression...) -> Tensor {
        get { orTrap { try checked.indexed(indices.map(\.tensorIndex)) } }
        set { orTrap { try checked.assign(newValue, at: indices.map(\.tensorIndex)) } }
    }

    /// One element as a Swift number (`x[i, j].item()`), or a number written to every indexed
    /// element (`x[mask] = 0`).
    public subscript<T: TensorScalar & TensorElement>(_ indices: any TensorIndexExpression...) -> T {
        get { orTrap { try checked.indexed(indices.map(\.tensorIndex)) }.item(T.self) }
        set { orTrap { try checked.assign(checked.scalarTensor(newValue), at: indices.map(\.tensorIndex)) } }
    }
}
