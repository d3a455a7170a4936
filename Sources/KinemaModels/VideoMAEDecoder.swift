import KinemaNN

/// The size of a ``VideoMAEDecoder``: VideoMAE's ViT-B uses 4 blocks of width 384 with 6 heads
/// (MME: 1 block of width 192), and a head of `outputs` per masked token (pixels: 2·16·16·3 = 1536).
public struct VideoMAEDecoderConfiguration: Sendable, Hashable {
    public var dimension: Int
    public var depth: Int
    public var heads: Int
    public var mlpHiddenDimension: Int
    public var outputs: Int
    /// Epsilon of the blocks' LayerNorms (VideoMAE 1e-6; transformers' `layer_norm_eps`).
    public var layerNormEpsilon = 1e-6
    /// Epsilon of the final `norm` (VideoMAE 1e-6; transformers builds it with PyTorch's 1e-5).
    public var normEpsilon = 1e-6

    public init(dimension: Int = 384, depth: Int = 4, heads: Int = 6, outputs: Int = 1536) {
        self.dimension = dimension
        self.depth = depth
        self.heads = heads
        self.outputs = outputs
        mlpHiddenDimension = 4 * dimension
    }
}

/// The light decoder of VideoMAE's masked autoencoder (`PretrainVisionTransformerDecoder` with the
/// glue of `PretrainVisionTransformer`): the encoder's visible tokens projected to the decoder's
/// width (`encoder_to_decoder`, no bias) plus their position table entries, then a learnable
/// `mask_token` plus the table entry of every masked token, appended after them; the blocks, then
/// the final `norm` and `head` on the masked tokens only. Registers `encoder_to_decoder.weight`,
/// `mask_token`, `decoder.blocks.{i}.*`, `decoder.norm.*`, `decoder.head.*` under its path — VideoMAE's
/// pretraining keys.
public final class VideoMAEDecoder: Module {
    public let path: ParameterPath
    public let configuration: VideoMAEDecoderConfiguration
    let encoderToDecoder: Linear
    let maskToken: Tensor
    let positions: SinusoidPositionTable
    let blocks: [TransformerBlock]
    let norm: LayerNorm
    let head: Linear

    /// VideoMAE's initialisation: Xavier-uniform Linear weights, zero biases, trunc-normal(0.02) mask token.
    public init(_ path: ParameterPath, encoderDimension: Int, _ c: VideoMAEDecoderConfiguration) throws(ModuleError) {
        guard c.dimension > 0, c.depth > 0, c.heads > 0, c.dimension % c.heads == 0, c.outputs > 0, encoderDimension > 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "a VideoMAE decoder needs a positive width divisible by its heads, depth and outputs; got width "
                    + "\(c.dimension), \(c.heads) heads, depth \(c.depth), \(c.outputs) outputs")
        }
        self.path = path
        configuration = c
        encoderToDecoder = try Linear(path / "encoder_to_decoder", inFeatures: encoderDimension, outFeatures: c.dimension, bias: false)
        maskToken = try path.parameter("mask_token", shape: [1, 1, c.dimension])
        positions = SinusoidPositionTable(dimension: c.dimension)
        let decoder = path / "decoder"
        blocks = try (0..<c.depth).map { i throws(ModuleError) in
            try TransformerBlock(
                decoder / "blocks" / i, dimension: c.dimension, heads: c.heads, mlpHidden: c.mlpHiddenDimension, qkvBias: true,
                eps: c.layerNormEpsilon, layerScale: nil, dropPath: 0)
        }
        norm = try LayerNorm(decoder / "norm", normalizedShape: [c.dimension], eps: c.normEpsilon)
        head = try Linear(decoder / "head", inFeatures: c.dimension, outFeatures: c.outputs)
        let generator = path.store.generator
        for linear in [encoderToDecoder, head] + blocks.flatMap({ [$0.attn.qkv, $0.attn.proj, $0.mlp.fc1, $0.mlp.fc2] }) {
            Init.xavierUniform(linear.weight, generator: generator)
            if let bias = linear.bias { Init.constant(bias, 0) }
        }
        Init.truncNormal(maskToken, std: 0.02, generator: generator)
    }

    /// Predictions `[N, M, outputs]` for the `masked` tokens (int64 `[N, M]`, in this order) from the
    /// encoder's output `latent` `[N, V, D]` at the `visible` tokens (int64 `[N, V]`).
    public func callAsFunction(_ latent: Tensor, visible: Tensor, masked: Tensor, mode: Mode) -> Tensor {
        let (n, v, m, d) = (visible.size(0), visible.size(1), masked.size(1), configuration.dimension)
        let table = positions(tokens: v + m, dtype: latent.dtype, device: latent.device).expanded(to: [n, v + m, d])
        func at(_ index: Tensor) -> Tensor { table.gathered(dim: 1, index: index.unsqueezed(-1).expanded(to: [n, index.size(1), d])) }
        var x = Tensor.cat([encoderToDecoder(latent) + at(visible), maskToken + at(masked)], dim: 1)
        x = blocks.reduce(x) { y, block in block(y, mode: mode) }
        return head(norm(x.narrowed(dim: 1, start: v, length: m)))
    }
}
