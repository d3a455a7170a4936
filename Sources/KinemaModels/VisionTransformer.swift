// Video vision transformers in VideoMAE's layout (Tong et al., "VideoMAE", NeurIPS 2022; the
// encoder MME builds on, Sun et al., CVPR 2023 §3): the state-dict keys of VideoMAE's
// `modeling_finetune.VisionTransformer`, so its fine-tuning checkpoints (and the encoder of its
// pretraining ones, `encoder.` stripped) load strictly; transformers' VideoMAE checkpoints load
// through VideoMAECheckpoint's key mapping.
import KinemaNN

/// The size and options of a ``VisionTransformer``: VideoMAE's constructor arguments.
public struct VisionTransformerConfiguration: Sendable, Hashable {
    /// Token width `D` (`embed_dim`): 384 (ViT-S), 768 (ViT-B), 1024 (ViT-L).
    public var dimension: Int
    /// Transformer blocks: 12 (ViT-S, ViT-B), 24 (ViT-L).
    public var depth: Int
    /// Attention heads; `D` must divide by them (VideoMAE's sizes all have 64 channels a head).
    public var heads: Int
    /// Hidden units of each block's MLP: `int(D · mlp_ratio)` in VideoMAE (ratio 4, the default
    /// here), transformers' `intermediate_size`.
    public var mlpHiddenDimension: Int
    /// Spatial patch side (16) and temporal tubelet length (2).
    public var patchSize: Int = 16
    public var tubeletSize: Int = 2
    public var channels: Int = 3
    /// Learnable query and value biases (`qkv_bias`, true in every VideoMAE model).
    public var qkvBias = true
    /// Epsilon of the blocks' LayerNorms (VideoMAE 1e-6; transformers' `layer_norm_eps`).
    public var layerNormEpsilon = 1e-6
    /// Epsilon of `fc_norm`, the LayerNorm after mean pooling: 1e-6 in VideoMAE; transformers'
    /// VideoMAEForVideoClassification builds it with PyTorch's default, 1e-5.
    public var poolNormEpsilon = 1e-6
    /// Layer scale's initial value (`init_values`); nil: no `gamma_1`/`gamma_2` (VideoMAE's 0).
    public var layerScale: Double?
    /// Stochastic depth at the last block, rising linearly from 0 at the first (`drop_path_rate`).
    public var dropPath: Double = 0
    /// The classifier's initial weights are trunc-normal(0.02) × this (`init_scale`; VideoMAE's
    /// fine-tuning recipe passes 0.001).
    public var headInitScale: Double = 1
    /// Activation checkpointing of every block in training (timm's `set_grad_checkpointing`,
    /// VideoMAE's `use_checkpoint`): a block keeps only its input for backward and is computed again
    /// there (``activationCheckpoint(_:preserving:_:)``). The same gradients for about a third more
    /// compute and far less activation memory; see docs/scaling.md, "Memory".
    public var checkpointBlocks = false

    public init(dimension: Int, depth: Int, heads: Int) {
        self.dimension = dimension
        self.depth = depth
        self.heads = heads
        mlpHiddenDimension = 4 * dimension
    }

    /// Why clips of `shape` cannot be cut into whole tubes, or nil when they can.
    public func problem(with shape: ClipShape) -> String? {
        TubeletEmbedding.problem(
            frames: shape.frames, height: shape.height, width: shape.width, tubelet: tubeletSize, patch: patchSize)
    }
}

/// A video ViT: `[N, 3, T, H, W]` → `[N, classes]`.
///
/// ```
/// patch_embed (Conv3d 2×16×16) + sinusoid table ─ blocks.0 … blocks.{depth-1} ─ mean ─ fc_norm ─ head
/// ```
/// No class token; the position table is fixed (``SinusoidPositionTable``), so any clip whose
/// frames divide by the tubelet and whose sides divide by the patch works. On a 16×224×224 clip
/// the sequence has 8·14·14 = 1568 tokens and ``featureMap(_:mode:)`` is `[N, D, 8, 14, 14]`.
/// Stages (freezing, layer-wise decay, Grad-CAM inside the network): `patch_embed`, then each
/// block; `fc_norm` and `head` are above them (``classifierPaths``: layer-wise decay gives both the
/// head's rate, as VideoMAE does).
public final class VisionTransformer: Backbone {
    public let path: ParameterPath
    public let configuration: VisionTransformerConfiguration
    let trunk: ViTTrunk
    let fcNorm: LayerNorm
    /// The classifier; replace it with ``resetHead(classes:)``.
    public private(set) var head: Linear

    /// Builds the model under `path` with VideoMAE's fine-tuning initialisation: trunc-normal(0.02)
    /// Linear weights and zero biases, unit/zero LayerNorms, PyTorch's default Conv3d, the head
    /// scaled by ``VisionTransformerConfiguration/headInitScale``.
    public init(_ path: ParameterPath, _ configuration: VisionTransformerConfiguration, classes: Int) throws(ModuleError) {
        guard classes > 0 else {
            throw ModuleError(.invalidConfiguration, path: path.name, "a vision transformer needs at least one class, got \(classes)")
        }
        self.path = path
        self.configuration = configuration
        trunk = try ViTTrunk(path, configuration)
        fcNorm = try LayerNorm(path / "fc_norm", normalizedShape: [configuration.dimension], eps: configuration.poolNormEpsilon)
        head = try Linear(path / "head", inFeatures: configuration.dimension, outFeatures: classes)
        ViTTrunk.initialise(head, scale: configuration.headInitScale)
    }

    public var featureDimension: Int { configuration.dimension }

    /// `patch_embed`, `blocks.0` … `blocks.{depth-1}`.
    public var stages: [ParameterPath] { [trunk.patchEmbed.path] + trunk.blocks.map(\.path) }

    /// Why this model cannot take a clip of `shape`, or nil when it can (check a config with it
    /// before training: the forward pass stops the process on such a clip).
    public func problem(with shape: ClipShape) -> String? { configuration.problem(with: shape) }

    /// The tokens after the last block, as the grid `[N, D, T/tubelet, H/patch, W/patch]`.
    public func featureMap(_ input: Tensor, mode: Mode) -> Tensor {
        runStages(0..<stages.count, input, mode: mode)
    }

    /// `fc_norm` of the mean token `[N, D]` (from the tokens, without the grid's copy).
    public func features(_ input: Tensor, mode: Mode) -> Tensor {
        fcNorm(tokens(0..<stages.count, input, mode: mode).tokens.mean(dims: [1]))
    }

    /// `fc_norm` of the mean over the token grid.
    public func pooled(_ featureMap: Tensor) -> Tensor {
        fcNorm(featureMap.flattened(from: 2).mean(dims: [2]))
    }

    /// `fc_norm`, `head`.
    public var classifierPaths: [ParameterPath] { [fcNorm.path, head.path] }

    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        head(features(input, mode: mode))
    }

    public func resetHead(classes: Int) throws(ModuleError) {
        guard classes > 0 else {
            throw ModuleError(.invalidConfiguration, path: path.name, "a head needs at least one class, got \(classes)")
        }
        path.store.removeAll(under: head.path)
        head = try Linear(head.path, inFeatures: featureDimension, outFeatures: classes)
        ViTTrunk.initialise(head, scale: configuration.headInitScale)
    }
}

extension VisionTransformer: StagewiseBackbone {
    /// Stage 0 embeds the clip and adds the position table; stage `s > 0` is `blocks.{s-1}`. Every
    /// stage's output is the token grid `[N, D, T', H', W']`, so Grad-CAM can look at any of them.
    public func runStages(_ range: Range<Int>, _ input: Tensor, mode: Mode) -> Tensor {
        guard !range.isEmpty else { return input }
        let (tokens, grid) = self.tokens(range, input, mode: mode)
        return tokens.transposed(1, 2).reshaped(grid)
    }

    /// `stages[range]` on `input` (a clip when the range starts at 0, else a token grid) as tokens
    /// `[N, L, D]` in `(t, h, w)` order, and the grid shape `[N, D, T', H', W']` they lie on.
    func tokens(_ range: Range<Int>, _ input: Tensor, mode: Mode) -> (tokens: Tensor, grid: [Int]) {
        precondition(range.lowerBound >= 0 && range.upperBound <= stages.count, "stages \(range) outside 0..<\(stages.count)")
        let (tokens, grid) = range.lowerBound == 0 ? trunk.embed(input) : (input.flattened(from: 2).transposed(1, 2), input.shape)
        let blocks = (max(range.lowerBound, 1) - 1)..<max(range.upperBound - 1, 0)
        return (trunk.run(tokens, blocks: blocks, mode: mode), grid)
    }
}
