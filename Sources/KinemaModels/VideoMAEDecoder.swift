import KinemaNN

/// The size of a ``VideoMAEDecoder``: VideoMAE's ViT-B uses 4 blocks of width 384 with 6 heads
/// and one Linear head of `outputs` per masked token (pixels: 2·16·16·3 = 1536); MME 1 block of
/// width 192 with two-layer heads, one per target (``mme(dimension:depth:heads:predictionHeads:)``).
public struct VideoMAEDecoderConfiguration: Sendable, Hashable {
    /// Where the decoder's weights live in the state dict.
    public enum KeyLayout: String, Sendable, Hashable {
        /// VideoMAE's `encoder_to_decoder.weight`, `decoder.blocks.{i}.*`, `decoder.norm.*`,
        /// `decoder.head.*` (`decoder.head.{k}.*` with several heads).
        case videoMAE
        /// MME's release (`decoder_num` 1): `encoder_to_decoder.0.weight`, `decoder.0.blocks.{i}.*`,
        /// `decoder.0.norm.*`, `decoder.0.head.{k}.{0,2}.*`.
        case mme
    }

    public var dimension: Int
    public var depth: Int
    public var heads: Int
    public var mlpHiddenDimension: Int
    /// The prediction heads, in the order their outputs are concatenated.
    public var predictionHeads: [PredictionHead]
    public var layout = KeyLayout.videoMAE
    /// Epsilon of the blocks' LayerNorms (VideoMAE 1e-6; transformers' `layer_norm_eps`).
    public var layerNormEpsilon = 1e-6
    /// Epsilon of the final `norm` (VideoMAE 1e-6; transformers builds it with PyTorch's 1e-5).
    public var normEpsilon = 1e-6

    /// VideoMAE's decoder: one Linear head of `outputs`.
    public init(dimension: Int = 384, depth: Int = 4, heads: Int = 6, outputs: Int = 1536) {
        self.dimension = dimension
        self.depth = depth
        self.heads = heads
        predictionHeads = [PredictionHead(outputs: outputs)]
        mlpHiddenDimension = 4 * dimension
    }

    /// MME's decoder (Sun et al. 2023; `--decoder_depth 1`, `--decoder_embed_dim 192`, 6 heads) in
    /// the released key layout, with one two-layer head per target.
    public static func mme(
        dimension: Int = 192, depth: Int = 1, heads: Int = 6, predictionHeads: [PredictionHead]
    ) -> VideoMAEDecoderConfiguration {
        var configuration = VideoMAEDecoderConfiguration(dimension: dimension, depth: depth, heads: heads)
        configuration.predictionHeads = predictionHeads
        configuration.layout = .mme
        return configuration
    }

    /// Values predicted per masked token, all heads together.
    public var outputs: Int { predictionHeads.reduce(0) { $0 + $1.outputs } }

    /// The channels of each head's outputs within the concatenated prediction.
    public var outputRanges: [Range<Int>] {
        var start = 0
        return predictionHeads.map { head in
            defer { start += head.outputs }
            return start..<(start + head.outputs)
        }
    }
}

/// The light decoder of VideoMAE's masked autoencoder (`PretrainVisionTransformerDecoder` with the
/// glue of `PretrainVisionTransformer`): the encoder's visible tokens projected to the decoder's
/// width (`encoder_to_decoder`, no bias) plus their position table entries, then a learnable
/// `mask_token` plus the table entry of every masked token, appended after them; the blocks, then
/// the final `norm` and the prediction heads on the masked tokens only. Registers
/// `encoder_to_decoder.weight`, `mask_token`, `decoder.blocks.{i}.*`, `decoder.norm.*`,
/// `decoder.head.*` under its path — VideoMAE's pretraining keys — or MME's (``VideoMAEDecoderConfiguration/KeyLayout``).
public final class VideoMAEDecoder: Module {
    public let path: ParameterPath
    public let configuration: VideoMAEDecoderConfiguration
    let encoderToDecoder: Linear
    let maskToken: Tensor
    let positions: SinusoidPositionTable
    let blocks: [TransformerBlock]
    let norm: LayerNorm
    let predictionHeads: [PredictionHeadLayer]

    /// VideoMAE's initialisation: Xavier-uniform Linear weights, zero biases, trunc-normal(0.02) mask token.
    public init(_ path: ParameterPath, encoderDimension: Int, _ c: VideoMAEDecoderConfiguration) throws(ModuleError) {
        guard c.dimension > 0, c.depth > 0, c.heads > 0, c.dimension % c.heads == 0, !c.predictionHeads.isEmpty,
            encoderDimension > 0
        else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "a VideoMAE decoder needs a positive width divisible by its heads, depth and a prediction head; got width "
                    + "\(c.dimension), \(c.heads) heads, depth \(c.depth), \(c.predictionHeads.count) prediction heads")
        }
        self.path = path
        configuration = c
        let mme = c.layout == .mme
        let projection = mme ? path / "encoder_to_decoder" / 0 : path / "encoder_to_decoder"
        encoderToDecoder = try Linear(projection, inFeatures: encoderDimension, outFeatures: c.dimension, bias: false)
        maskToken = try path.parameter("mask_token", shape: [1, 1, c.dimension])
        positions = SinusoidPositionTable(dimension: c.dimension)
        let decoder = mme ? path / "decoder" / 0 : path / "decoder"
        blocks = try (0..<c.depth).map { i throws(ModuleError) in
            try TransformerBlock(
                decoder / "blocks" / i, dimension: c.dimension, heads: c.heads, mlpHidden: c.mlpHiddenDimension, qkvBias: true,
                eps: c.layerNormEpsilon, layerScale: nil, dropPath: 0)
        }
        norm = try LayerNorm(decoder / "norm", normalizedShape: [c.dimension], eps: c.normEpsilon)
        let indexed = mme || c.predictionHeads.count > 1
        predictionHeads = try c.predictionHeads.enumerated().map { k, head throws(ModuleError) in
            try PredictionHeadLayer(indexed ? decoder / "head" / k : decoder / "head", inFeatures: c.dimension, head)
        }
        let generator = path.store.generator
        let linears = [encoderToDecoder] + predictionHeads.flatMap(\.linears)
            + blocks.flatMap({ [$0.attn.qkv, $0.attn.proj, $0.mlp.fc1, $0.mlp.fc2] })
        for linear in linears {
            Init.xavierUniform(linear.weight, generator: generator)
            if let bias = linear.bias { Init.constant(bias, 0) }
        }
        Init.truncNormal(maskToken, std: 0.02, generator: generator)
    }

    /// Predictions `[N, M, outputs]` for the `masked` tokens (int64 `[N, M]`, in this order) from the
    /// encoder's output `latent` `[N, V, D]` at the `visible` tokens (int64 `[N, V]`): the heads'
    /// outputs concatenated (``VideoMAEDecoderConfiguration/outputRanges``).
    public func callAsFunction(_ latent: Tensor, visible: Tensor, masked: Tensor, mode: Mode) -> Tensor {
        let (n, v, m, d) = (visible.size(0), visible.size(1), masked.size(1), configuration.dimension)
        let table = positions(tokens: v + m, dtype: latent.dtype, device: latent.device).expanded(to: [n, v + m, d])
        func at(_ index: Tensor) -> Tensor { table.gathered(dim: 1, index: index.unsqueezed(-1).expanded(to: [n, index.size(1), d])) }
        var x = Tensor.cat([encoderToDecoder(latent) + at(visible), maskToken + at(masked)], dim: 1)
        x = blocks.reduce(x) { y, block in block(y, mode: mode) }
        let masked = norm(x.narrowed(dim: 1, start: v, length: m))
        let outputs = predictionHeads.map { $0(masked) }
        return outputs.count == 1 ? outputs[0] : Tensor.cat(outputs, dim: 2)
    }
}
