/// `nn.Embedding`: a lookup table; int64 indices `[*]` → vectors `[*, dimension]`.
///
/// Registers `weight` `[count, dimension]`, initialised from N(0, 1) as PyTorch does. With a
/// `paddingIndex`, that row starts at zero and receives no gradient.
public final class Embedding: UnaryLayer, Module {
    public let path: ParameterPath
    public let weight: Tensor
    /// The padding row, normalized to `0..<count`.
    public let paddingIndex: Int?

    /// - Parameters:
    ///   - count: Number of embeddings (`num_embeddings`).
    ///   - dimension: Size of each vector (`embedding_dim`).
    ///   - paddingIndex: Row excluded from training; negative counts from the end.
    public init(_ path: ParameterPath, count: Int, dimension: Int, paddingIndex: Int? = nil) throws(ModuleError) {
        guard count > 0, dimension > 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "Embedding at '\(path)' needs positive sizes, got \(count) × \(dimension)")
        }
        if let paddingIndex, !(-count..<count).contains(paddingIndex) {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "Embedding at '\(path)': paddingIndex \(paddingIndex) is outside -\(count)..<\(count)")
        }
        self.path = path
        self.paddingIndex = paddingIndex.map { $0 < 0 ? $0 + count : $0 }
        weight = try path.parameter("weight", shape: [count, dimension])
        Init.normal(weight, generator: path.store.generator)
        if let row = self.paddingIndex {
            withNoGrad { weight.selected(dim: 0, index: row).zeroInPlace() }
        }
    }

    /// Looks up `indices` (int64, any shape).
    public func callAsFunction(_ indices: Tensor) -> Tensor {
        orTrap {
            try TorchOp.embedding.call(
                .tensor(weight), .tensor(indices), .int(paddingIndex ?? -1), .bool(false), .bool(false))
        }
    }
}

extension TorchOp {
    static let embedding = TorchOp("aten::embedding")
}
