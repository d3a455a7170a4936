import KinemaNN

/// What every video ViT of Kinema shares (VideoMAE's encoder without its ends): the tubelet
/// embedding plus the fixed position table, then the transformer blocks. ``VisionTransformer``
/// puts mean pooling, `fc_norm` and a classifier on top; ``VideoMAEEncoder`` a final `norm`, and runs
/// on the visible tokens of a masked clip. Registers `patch_embed.*` and `blocks.{i}.*` under its path.
final class ViTTrunk {
    let patchEmbed: TubeletEmbedding
    let positions: SinusoidPositionTable
    let blocks: [TransformerBlock]
    let checkpointBlocks: Bool

    init(_ path: ParameterPath, _ c: VisionTransformerConfiguration) throws(ModuleError) {
        guard c.dimension > 0, c.depth > 0, c.heads > 0, c.dimension % c.heads == 0, c.mlpHiddenDimension > 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "a vision transformer needs a positive width divisible by its heads, a positive depth and MLP width; "
                    + "got width \(c.dimension), \(c.heads) heads, depth \(c.depth), MLP width \(c.mlpHiddenDimension)")
        }
        guard (0...1).contains(c.dropPath) else {
            throw ModuleError(.invalidConfiguration, path: path.name, "drop path must be in [0, 1], got \(c.dropPath)")
        }
        patchEmbed = try TubeletEmbedding(
            path / "patch_embed", channels: c.channels, dimension: c.dimension, tubelet: c.tubeletSize, patch: c.patchSize)
        positions = SinusoidPositionTable(dimension: c.dimension)
        checkpointBlocks = c.checkpointBlocks
        // A recomputed block must draw the same drop-path masks: from a generator it can rewind.
        guard !c.checkpointBlocks || c.dropPath == 0 || path.store.generator != nil else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "checkpointed blocks with drop path need the parameter store's generator (the masks are drawn again in backward)")
        }
        blocks = try (0..<c.depth).map { i throws(ModuleError) in
            // VideoMAE: `dpr = torch.linspace(0, drop_path_rate, depth)`.
            let rate = c.depth == 1 ? 0 : c.dropPath * Double(i) / Double(c.depth - 1)
            return try TransformerBlock(
                path / "blocks" / i, dimension: c.dimension, heads: c.heads, mlpHidden: c.mlpHiddenDimension,
                qkvBias: c.qkvBias, eps: c.layerNormEpsilon, layerScale: c.layerScale, dropPath: rate)
        }
        // VideoMAE's `_init_weights`: trunc-normal(0.02) Linear weights, zero biases.
        for block in blocks {
            for linear in [block.attn.qkv, block.attn.proj, block.mlp.fc1, block.mlp.fc2] { Self.initialise(linear) }
        }
    }

    /// VideoMAE's `_init_weights` for a Linear (trunc-normal(0.02), zero bias), then `× scale`.
    static func initialise(_ linear: Linear, scale: Double = 1) {
        Init.truncNormal(linear.weight, std: 0.02, generator: linear.path.store.generator)
        if let bias = linear.bias { Init.constant(bias, 0) }
        if scale != 1 { withNoGrad { linear.weight.multiplyInPlace(scale) } }
    }

    /// The clip's tokens `[N, L, D]` in `(t, h, w)` order with the position table added, and the
    /// grid shape `[N, D, T', H', W']` they lie on.
    func embed(_ clip: Tensor) -> (tokens: Tensor, grid: [Int]) {
        let embedded = patchEmbed(clip)
        let tokens = embedded.flattened(from: 2).transposed(1, 2)
        return (tokens + positions(tokens: tokens.size(1), dtype: tokens.dtype, device: tokens.device), embedded.shape)
    }

    /// `blocks[range]` on tokens `[N, L, D]` (each checkpointed in training when configured).
    func run(_ tokens: Tensor, blocks range: Range<Int>, mode: Mode) -> Tensor {
        blocks[range].reduce(tokens) { x, block in
            guard checkpointBlocks, mode == .train else { return block(x, mode: mode) }
            return activationCheckpoint(x, preserving: block.dropPath.generator.map { [$0] } ?? []) { block($0, mode: mode) }
        }
    }
}
