/// Shape operations: views (`reshaped`, `permuted`, …, sharing memory where PyTorch's do), joins
/// (`cat`, `stack`), splits, tiling, flips and padding, with PyTorch's semantics.
extension TorchOp {
    static let reshape = TorchOp("aten::reshape")
    static let view = TorchOp("aten::view")
    static let flatten = TorchOp("aten::flatten", "using_ints")
    static let squeeze = TorchOp("aten::squeeze")
    static let squeezeDim = TorchOp("aten::squeeze", "dim")
    static let unsqueeze = TorchOp("aten::unsqueeze")
    static let permute = TorchOp("aten::permute")
    static let transpose = TorchOp("aten::transpose", "int")
    static let movedim = TorchOp("aten::movedim", "int")
    static let cat = TorchOp("aten::cat")
    static let stack = TorchOp("aten::stack")
    static let split = TorchOp("aten::split", "Tensor")
    static let splitWithSizes = TorchOp("aten::split_with_sizes")
    static let chunk = TorchOp("aten::chunk")
    static let unbind = TorchOp("aten::unbind", "int")
    static let expand = TorchOp("aten::expand")
    static let expandAs = TorchOp("aten::expand_as")
    static let `repeat` = TorchOp("aten::repeat")
    static let flip = TorchOp("aten::flip")
    static let roll = TorchOp("aten::roll")
    static let pad = TorchOp("aten::pad")
    static let narrow = TorchOp("aten::narrow")
    static let select = TorchOp("aten::select", "int")
    static let slice = TorchOp("aten::slice", "Tensor")
    static let alias = TorchOp("aten::alias")
}

extension Tensor {
    /// How ``padded(_:mode:)`` fills the new border (`F.pad`'s `mode`).
    public enum PadMode: Sendable, Equatable {
        /// A constant value (`mode="constant"`).
        case constant(Double)
        /// Mirror without repeating the edge: `[a b c]` → `c b | a b c | b a` (`"reflect"`).
        case reflect
        /// Repeat the edge element (`"replicate"`).
        case replicate
        /// Wrap around (`"circular"`).
        case circular

        var argument: (mode: String, value: TorchArgument) {
            switch self {
            case .constant(let v): ("constant", .double(v))
            case .reflect: ("reflect", .none)
            case .replicate: ("replicate", .none)
            case .circular: ("circular", .none)
            }
        }
    }
}

// MARK: - Throwing twins

extension Tensor.Checked {
    /// `reshape`: the same elements in a new shape; one size may be -1 (inferred). A view when
    /// the memory layout allows, else a copy.
    public func reshaped(_ shape: [Int]) throws(TorchError) -> Tensor {
        try TorchOp.reshape.call(.tensor(base), .ints(shape))
    }
    /// `view`: like ``reshaped(_:)`` but always a view; throws when the strides do not allow one.
    public func viewed(as shape: [Int]) throws(TorchError) -> Tensor {
        try TorchOp.view.call(.tensor(base), .ints(shape))
    }
    /// `flatten(start_dim, end_dim)`: merges dimensions `start...end` into one.
    public func flattened(from start: Int = 0, to end: Int = -1) throws(TorchError) -> Tensor {
        try TorchOp.flatten.call(.tensor(base), .int(start), .int(end))
    }
    /// `squeeze(dim)`: drops dimension `dim` if its size is 1; without `dim`, every size-1 dimension.
    public func squeezed(_ dim: Int? = nil) throws(TorchError) -> Tensor {
        guard let dim else { return try TorchOp.squeeze.call(.tensor(base)) }
        return try TorchOp.squeezeDim.call(.tensor(base), .int(dim))
    }
    /// `unsqueeze(dim)`: inserts a size-1 dimension at `dim` (negative counts from the end of the result).
    public func unsqueezed(_ dim: Int) throws(TorchError) -> Tensor {
        try TorchOp.unsqueeze.call(.tensor(base), .int(dim))
    }
    /// `permute(dims)`: dimension `i` of the result is dimension `dims[i]` of `self` (a view).
    public func permuted(_ dims: [Int]) throws(TorchError) -> Tensor {
        try TorchOp.permute.call(.tensor(base), .ints(dims))
    }
    /// `transpose(dim0, dim1)`: swaps two dimensions (a view).
    public func transposed(_ dim0: Int, _ dim1: Int) throws(TorchError) -> Tensor {
        try TorchOp.transpose.call(.tensor(base), .int(dim0), .int(dim1))
    }
    /// `movedim(source, destination)`: moves one dimension, keeping the others in order (a view).
    public func movedDimension(from source: Int, to destination: Int) throws(TorchError) -> Tensor {
        try TorchOp.movedim.call(.tensor(base), .int(source), .int(destination))
    }
    /// `torch.cat`: joins tensors along an existing dimension; the other sizes must match.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws(TorchError) -> Tensor {
        try TorchOp.cat.call(.tensors(tensors), .int(dim))
    }
    /// `torch.stack`: joins equally shaped tensors along a new dimension `dim`.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws(TorchError) -> Tensor {
        try TorchOp.stack.call(.tensors(tensors), .int(dim))
    }
    /// `split(size, dim)`: views of `size` elements along `dim`; the last one may be smaller.
    public func split(size: Int, dim: Int = 0) throws(TorchError) -> [Tensor] {
        try TorchOp.split.call(.tensor(base), .int(size), .int(dim)) { r throws(TorchError) in try r.tensors(0) }
    }
    /// `split(sizes, dim)`: views of the given sizes along `dim`; they must add up to its size.
    public func split(sizes: [Int], dim: Int = 0) throws(TorchError) -> [Tensor] {
        try TorchOp.splitWithSizes.call(.tensor(base), .ints(sizes), .int(dim)) { r throws(TorchError) in
            try r.tensors(0)
        }
    }
    /// `chunk(n, dim)`: at most `n` views of `ceil(size / n)` elements along `dim`.
    public func chunked(_ n: Int, dim: Int = 0) throws(TorchError) -> [Tensor] {
        try TorchOp.chunk.call(.tensor(base), .int(n), .int(dim)) { r throws(TorchError) in try r.tensors(0) }
    }
    /// `unbind(dim)`: the slices along `dim`, each without that dimension.
    public func unbind(dim: Int = 0) throws(TorchError) -> [Tensor] {
        try TorchOp.unbind.call(.tensor(base), .int(dim)) { r throws(TorchError) in try r.tensors(0) }
    }
    /// `expand(shape)`: broadcasts size-1 dimensions to `shape` without copying; -1 keeps a size.
    public func expanded(to shape: [Int]) throws(TorchError) -> Tensor {
        try TorchOp.expand.call(.tensor(base), .ints(shape))
    }
    /// `expand_as(other)`: ``expanded(to:)`` with `other`'s shape.
    public func expanded(as other: Tensor) throws(TorchError) -> Tensor {
        try TorchOp.expandAs.call(.tensor(base), .tensor(other))
    }
    /// `repeat(counts)`: tiles the tensor `counts[i]` times along dimension `i` (a copy); extra
    /// leading counts add dimensions.
    public func repeated(_ counts: [Int]) throws(TorchError) -> Tensor {
        try TorchOp.repeat.call(.tensor(base), .ints(counts))
    }
    /// `flip(dims)`: reverses the order of elements along `dims` (a copy).
    public func flipped(_ dims: [Int]) throws(TorchError) -> Tensor {
        try TorchOp.flip.call(.tensor(base), .ints(dims))
    }
    /// `roll(shifts, dims)`: shifts elements cyclically by `shifts[i]` along `dims[i]`; with no
    /// `dims`, rolls the flattened tensor by the single shift and restores the shape.
    public func rolled(shifts: [Int], dims: [Int] = []) throws(TorchError) -> Tensor {
        try TorchOp.roll.call(.tensor(base), .ints(shifts), .ints(dims))
    }
    /// `F.pad(x, pad, mode)`: `pad` lists (before, after) amounts from the LAST dimension
    /// backwards, e.g. `[left, right, top, bottom]` for `[N, C, H, W]`. Non-constant modes pad at
    /// most the last 3 dimensions of a batched input, as in PyTorch.
    public func padded(_ pad: [Int], mode: Tensor.PadMode = .constant(0)) throws(TorchError) -> Tensor {
        let (name, value) = mode.argument
        return try TorchOp.pad.call(.tensor(base), .ints(pad), .string(name), value)
    }
    /// `narrow(dim, start, length)`: elements `start..<start+length` along `dim` (a view).
    public func narrowed(dim: Int, start: Int, length: Int) throws(TorchError) -> Tensor {
        try TorchOp.narrow.call(.tensor(base), .int(dim), .int(start), .int(length))
    }
    /// `select(dim, index)`: the slice at `index` along `dim`, without that dimension (a view).
    public func selected(dim: Int, index: Int) throws(TorchError) -> Tensor {
        try TorchOp.select.call(.tensor(base), .int(dim), .int(index))
    }
    /// `slice(dim, start, end, step)`: Python's `start:end:step` on one dimension (a view);
    /// out-of-range bounds clamp, nil means the whole side, `step` must be positive.
    func sliced(dim: Int, start: Int?, end: Int?, step: Int) throws(TorchError) -> Tensor {
        try TorchOp.slice.call(
            .tensor(base), .int(dim), start.map { .int($0) } ?? .none, end.map { .int($0) } ?? .none, .int(step))
    }
}

// MARK: - Trapping surface

extension Tensor {
    /// `reshape`: the same elements in a new shape; one size may be -1 (inferred).
    public func reshaped(_ shape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.reshaped(shape) }
    }
    /// `view`: like ``reshaped(_:)`` but never copies; traps when the strides do not allow a view.
    public func viewed(as shape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.viewed(as: shape) }
    }
    /// `flatten(start_dim, end_dim)`: merges dimensions `start...end` into one.
    public func flattened(
        from start: Int = 0, to end: Int = -1, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.flattened(from: start, to: end) }
    }
    /// `squeeze(dim)`: drops dimension `dim` if its size is 1; without `dim`, every size-1 dimension.
    public func squeezed(_ dim: Int? = nil, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.squeezed(dim) }
    }
    /// `unsqueeze(dim)`: inserts a size-1 dimension at `dim`.
    public func unsqueezed(_ dim: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.unsqueezed(dim) }
    }
    /// `permute(dims)`: dimension `i` of the result is dimension `dims[i]` of `self` (a view).
    public func permuted(_ dims: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.permuted(dims) }
    }
    /// `transpose(dim0, dim1)`: swaps two dimensions (a view).
    public func transposed(_ dim0: Int, _ dim1: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.transposed(dim0, dim1) }
    }
    /// `movedim(source, destination)`: moves one dimension, keeping the others in order.
    public func movedDimension(
        from source: Int, to destination: Int, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.movedDimension(from: source, to: destination) }
    }
    /// `torch.cat`: joins tensors along an existing dimension.
    public static func cat(
        _ tensors: [Tensor], dim: Int = 0, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try Checked.cat(tensors, dim: dim) }
    }
    /// `torch.stack`: joins equally shaped tensors along a new dimension.
    public static func stack(
        _ tensors: [Tensor], dim: Int = 0, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try Checked.stack(tensors, dim: dim) }
    }
    /// `split(size, dim)`: views of `size` elements along `dim`; the last one may be smaller.
    public func split(size: Int, dim: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> [Tensor] {
        orTrap(file: file, line: line) { try checked.split(size: size, dim: dim) }
    }
    /// `split(sizes, dim)`: views of the given sizes along `dim`.
    public func split(sizes: [Int], dim: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> [Tensor] {
        orTrap(file: file, line: line) { try checked.split(sizes: sizes, dim: dim) }
    }
    /// `chunk(n, dim)`: at most `n` views of `ceil(size / n)` elements along `dim`.
    public func chunked(_ n: Int, dim: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> [Tensor] {
        orTrap(file: file, line: line) { try checked.chunked(n, dim: dim) }
    }
    /// `unbind(dim)`: the slices along `dim`, each without that dimension.
    public func unbind(dim: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> [Tensor] {
        orTrap(file: file, line: line) { try checked.unbind(dim: dim) }
    }
    /// `expand(shape)`: broadcasts size-1 dimensions to `shape` without copying; -1 keeps a size.
    public func expanded(to shape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.expanded(to: shape) }
    }
    /// `expand_as(other)`.
    public func expanded(as other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.expanded(as: other) }
    }
    /// `repeat(counts)`: tiles the tensor `counts[i]` times along dimension `i`.
    public func repeated(_ counts: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.repeated(counts) }
    }
    /// `flip(dims)`: reverses the order of elements along `dims`.
    public func flipped(_ dims: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.flipped(dims) }
    }
    /// `roll(shifts, dims)`: shifts elements cyclically along `dims`.
    public func rolled(shifts: [Int], dims: [Int] = [], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.rolled(shifts: shifts, dims: dims) }
    }
    /// `F.pad(x, pad, mode)`: `pad` lists (before, after) amounts from the last dimension backwards.
    public func padded(
        _ pad: [Int], mode: PadMode = .constant(0), file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.padded(pad, mode: mode) }
    }
    /// `narrow(dim, start, length)`: elements `start..<start+length` along `dim` (a view).
    public func narrowed(
        dim: Int, start: Int, length: Int, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.narrowed(dim: dim, start: start, length: length) }
    }
    /// `select(dim, index)`: the slice at `index` along `dim`, without that dimension (a view).
    public func selected(dim: Int, index: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        orTrap(file: file, line: line) { try checked.selected(dim: dim, index: index) }
    }
}
