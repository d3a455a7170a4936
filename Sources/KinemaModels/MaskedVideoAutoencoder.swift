import KinemaNN

/// VideoMAE's masked autoencoder (`PretrainVisionTransformer`, Tong et al. 2022 §3.3; MME's too):
/// a ``VideoMAEEncoder`` that sees only the visible tubes of a clip and a light
/// ``VideoMAEDecoder`` that predicts a target for the masked ones. Its state dict is VideoMAE's
/// pretraining checkpoint: `encoder.patch_embed.*`, `encoder.blocks.{i}.*`, `encoder.norm.*`,
/// `encoder_to_decoder.weight`, `mask_token`, `decoder.blocks.{i}.*`, `decoder.norm.*`,
/// `decoder.head.*` — so official checkpoints converted to safetensors load strictly, and
/// ``VideoMAEKeyMapping`` reads transformers' `VideoMAEForPreTraining`.
///
/// ```swift
/// let mae = try MaskedVideoAutoencoder(store.root, encoder: ModelName.vitB16.vitConfiguration!,
///                                      decoder: .videoMAE(for: .vitB16)!)
/// let tokens = try MaskedTokens(masks)                      // KinemaPretext, from TokenMasking
/// let predictions = mae(clip, visible: tokens.visible, masked: tokens.masked, mode: .train)  // [N, M, 1536]
/// ```
public final class MaskedVideoAutoencoder: Module {
    public let path: ParameterPath
    public let encoder: VideoMAEEncoder
    public let decoder: VideoMAEDecoder

    /// The encoder is initialised as VideoMAE's pretraining encoder is (`PretrainVisionTransformerEncoder._init_weights`:
    /// Xavier-uniform Linear weights, zero biases — the fine-tuning ViT uses trunc-normal(0.02)).
    public init(
        _ path: ParameterPath, encoder: VisionTransformerConfiguration, decoder: VideoMAEDecoderConfiguration
    ) throws(ModuleError) {
        self.path = path
        self.encoder = try VideoMAEEncoder(path / "encoder", encoder)
        self.decoder = try VideoMAEDecoder(path, encoderDimension: encoder.dimension, decoder)
        let generator = path.store.generator
        for block in self.encoder.trunk.blocks {
            for linear in [block.attn.qkv, block.attn.proj, block.mlp.fc1, block.mlp.fc2] {
                Init.xavierUniform(linear.weight, generator: generator)
                if let bias = linear.bias { Init.constant(bias, 0) }
            }
        }
    }

    /// The predictions `[N, M, outputs]` for the `masked` tokens (int64 `[N, M]`, in this order)
    /// of the clip `[N, C, T, H, W]`, whose `visible` tokens (int64 `[N, V]`) the encoder sees.
    public func callAsFunction(_ clip: Tensor, visible: Tensor, masked: Tensor, mode: Mode) -> Tensor {
        decoder(encoder(clip, visible: visible, mode: mode), visible: visible, masked: masked, mode: mode)
    }

    /// The token grid `T' × H' × W'` of a clip shape (its dims must divide by the tube).
    public func tokenGrid(_ shape: ClipShape) -> (frames: Int, height: Int, width: Int) {
        let c = encoder.configuration
        return (shape.frames / c.tubeletSize, shape.height / c.patchSize, shape.width / c.patchSize)
    }
}

extension VideoMAEDecoderConfiguration {
    /// VideoMAE's decoder for each registered ViT (`modeling_pretrain.py`: ViT-S 192 wide with 3
    /// heads, ViT-B 384 with 6, ViT-L 512 with 8; 4 blocks, `--decoder_depth` 4) predicting
    /// `outputs` values a token (pixels of a 2×16×16 tube: 1536); the tiny CPU ViT gets 2 blocks
    /// of width 96 with 3 heads. Nil for a CNN.
    public static func videoMAE(for name: ModelName, outputs: Int = 1536) -> VideoMAEDecoderConfiguration? {
        switch name {
        case .vitS16: VideoMAEDecoderConfiguration(dimension: 192, depth: 4, heads: 3, outputs: outputs)
        case .vitB16: VideoMAEDecoderConfiguration(dimension: 384, depth: 4, heads: 6, outputs: outputs)
        case .vitL16: VideoMAEDecoderConfiguration(dimension: 512, depth: 4, heads: 8, outputs: outputs)
        case .vitS16Tiny: VideoMAEDecoderConfiguration(dimension: 96, depth: 2, heads: 3, outputs: outputs)
        default: nil
        }
    }
}
