import KinemaData
import KinemaModels
import KinemaPretext
import KinemaTestSupport
import Testing

// The masked autoencoder against transformers' VideoMAEForPreTraining (Tools/fixtures/gen_vit.py,
// case hf_mae): encoder on the visible tokens, decoder with the mask token and position table,
// pixel target normalised per patch after undoing the ImageNet normalisation, MSE over the masked
// tokens. Float64 against float64 references rounded to float32 (rtol 1e-5, atol 1e-6).
@Suite struct VideoMAEParityTests {
    @Test func encoderDecoderAndPixelLossMatchTransformers() throws {
        let fx = try fixture("vit")
        let converted = try VideoMAEKeyMapping.videoMAEForm(fx.subset("hf_mae.state."))
        let store = ParameterStore(dtype: .float64)
        var configuration = VisionTransformerConfiguration(dimension: 32, depth: 2, heads: 4)
        configuration.mlpHiddenDimension = 128
        let encoder = try VideoMAEEncoder(store.root / "encoder", configuration)
        var decoderConfiguration = VideoMAEDecoderConfiguration(dimension: 16, depth: 1, heads: 2, outputs: 1536)
        decoderConfiguration.mlpHiddenDimension = 64
        decoderConfiguration.normEpsilon = 1e-5  // transformers' nn.LayerNorm(decoder_hidden_size)
        let decoder = try VideoMAEDecoder(store.root, encoderDimension: 32, decoderConfiguration)
        // VideoMAE's pretraining keys: the encoder under `encoder.`, the decoder's at the top.
        var state = converted.decoder
        for (key, tensor) in converted.encoder.merging(converted.encoderNorm, uniquingKeysWith: { a, _ in a }) {
            state["encoder." + key] = tensor
        }
        try store.root.loadStateDict(state)

        let clip = try fx.tensor("x").to(.float64)
        let visible = try fx.tensor("hf_encoder.visible")
        let tokens = 12
        let masked = Tensor(
            (0..<visible.size(0)).flatMap { n in
                let seen = Set(visible[n].array(of: Int64.self))
                return (0..<Int64(tokens)).filter { !seen.contains($0) }
            }, shape: [visible.size(0), tokens - visible.size(1)])
        let predictions = withNoGrad {
            decoder(encoder(clip, visible: visible, mode: .eval), visible: visible, masked: masked, mode: .eval)
        }
        expectClose(predictions, try fx.tensor("hf_mae.logits"), "masked-token predictions")

        let target = PixelTarget(tubelet: 2, patch: 16, normalization: .imagenet, normalisePerPatch: true)
        let targets = target(clip)
        let index = masked.unsqueezed(-1).expanded(to: [masked.size(0), masked.size(1), target.channels])
        let loss = predictions.mseLoss(targets.gathered(dim: 1, index: index))
        expectClose(loss, try fx.tensor("hf_mae.loss").to(.float64), "loss")
    }
}
