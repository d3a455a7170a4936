import KinemaNN

/// The encoder of VideoMAE's masked autoencoder (`PretrainVisionTransformerEncoder`; MME's too):
/// the ViT trunk, then a final LayerNorm `norm`, run on the visible tokens of a masked clip only
/// (Tong et al. 2022 §3.3: with 90 % of the tubes masked the encoder sees a tenth of the sequence).
/// Keys: `patch_embed.*`, `blocks.{i}.*`, `norm.*` — VideoMAE's pretraining checkpoints under
/// `encoder.` (``VideoMAEKeyMapping/Converted`` gives them without it).
///
/// ```swift
/// let encoder = try VideoMAEEncoder(store.root / "encoder", configuration)
/// let latent = encoder(clip, visible: indices, mode: .train)   // [N, V, D]
/// ```
public final class VideoMAEEncoder: Module {
    public let path: ParameterPath
    public let configuration: VisionTransformerConfiguration
    let trunk: ViTTrunk
    let norm: LayerNorm

    public init(_ path: ParameterPath, _ configuration: VisionTransformerConfiguration) throws(ModuleError) {
        self.path = path
        self.configuration = configuration
        trunk = try ViTTrunk(path, configuration)
        norm = try LayerNorm(path / "norm", normalizedShape: [configuration.dimension], eps: configuration.layerNormEpsilon)
    }

    /// The normalised tokens `[N, V, D]` of the clip `[N, C, T, H, W]` at `visible` — int64 indices
    /// `[N, V]` into the `(t, h, w)` token order, the same count for every clip (``TokenMasking``
    /// masks give it) — with their position table entries; every token when `visible` is nil.
    public func callAsFunction(_ clip: Tensor, visible: Tensor? = nil, mode: Mode) -> Tensor {
        var tokens = trunk.embed(clip).tokens
        if let visible {
            precondition(
                visible.rank == 2 && visible.size(0) == tokens.size(0),
                "VideoMAEEncoder at '\(path)': visible must be [N, V] indices, got \(visible.summary) for \(tokens.size(0)) clips")
            let index = visible.unsqueezed(-1).expanded(to: [visible.size(0), visible.size(1), tokens.size(2)])
            tokens = tokens.gathered(dim: 1, index: index)
        }
        return norm(trunk.run(tokens, blocks: 0..<trunk.blocks.count, mode: mode))
    }
}
