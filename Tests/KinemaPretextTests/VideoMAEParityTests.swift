import KinemaData
import KinemaModels
import KinemaPretext
import KinemaTestSupport
import Testing

// The masked autoencoder against transformers' VideoMAEForPreTraining (Tools/fixtures/gen_vit.py,
// case hf_mae): encoder on the visible tokens, decoder with the mask token and position table,
// pixel target normalised per patch after undoing the ImageNet normalisation, MSE over the masked
// tokens, and one backward pass of that loss; and against the official pretraining layout
// (case official_mae), loaded without any mapping. Float64 against float64 references rounded to
// float32 (rtol 1e-5, atol 1e-6).
@Suite struct VideoMAEParityTests {
    /// transformers' MAE (encoder width 32, 2 blocks, 4 heads, MLP 128; decoder width 16, 1 block,
    /// 2 heads, MLP 64, its final norm at PyTorch's default eps 1e-5) loaded through the key mapping.
    private func transformersModel(_ fx: Safetensors.Contents) throws -> MaskedVideoAutoencoder {
        let store = ParameterStore(dtype: .float64)
        var configuration = VisionTransformerConfiguration(dimension: 32, depth: 2, heads: 4)
        configuration.mlpHiddenDimension = 128
        var decoder = VideoMAEDecoderConfiguration(dimension: 16, depth: 1, heads: 2, outputs: 1536)
        decoder.mlpHiddenDimension = 64
        decoder.normEpsilon = 1e-5  // transformers' nn.LayerNorm(decoder_hidden_size)
        let mae = try MaskedVideoAutoencoder(store.root, encoder: configuration, decoder: decoder)
        try mae.loadStateDict(try Self.pretrainingKeys(VideoMAEKeyMapping.videoMAEForm(fx.subset("hf_mae.state."))))
        return mae
    }

    /// VideoMAE's pretraining keys: the encoder (its final norm included) under `encoder.`, the
    /// decoder's at the top.
    private static func pretrainingKeys(_ converted: VideoMAEKeyMapping.Converted) -> [String: Tensor] {
        var state = converted.decoder
        for (key, tensor) in converted.encoder.merging(converted.encoderNorm, uniquingKeysWith: { a, _ in a }) {
            state["encoder." + key] = tensor
        }
        return state
    }

    /// The fixture's tube mask as visible and masked indices (12 tokens, 4 visible a clip).
    private func tokens(_ fx: Safetensors.Contents) throws -> (visible: Tensor, masked: Tensor) {
        let visible = try fx.tensor("hf_encoder.visible")
        let count = 12
        let masked = Tensor(
            (0..<visible.size(0)).flatMap { n in
                let seen = Set(visible[n].array(of: Int64.self))
                return (0..<Int64(count)).filter { !seen.contains($0) }
            }, shape: [visible.size(0), count - visible.size(1)])
        return (visible, masked)
    }

    @Test func predictionsLossAndGradientsMatchTransformers() throws {
        let fx = try fixture("vit")
        let mae = try transformersModel(fx)
        let (visible, masked) = try tokens(fx)
        let clip = try fx.tensor("x").to(.float64).requiringGrad()
        let predictions = mae(clip, visible: visible, masked: masked, mode: .eval)
        expectClose(predictions, try fx.tensor("hf_mae.logits"), "masked-token predictions")

        let target = PixelTarget(tubelet: 2, patch: 16, normalization: .imagenet, normalisePerPatch: true)
        let index = masked.unsqueezed(-1).expanded(to: [masked.size(0), masked.size(1), target.channels])
        let loss = predictions.mseLoss(target(clip).gathered(dim: 1, index: index))
        expectClose(loss, try fx.tensor("hf_mae.loss").to(.float64), "loss")

        // The target is data (no gradient through it), as in transformers.
        loss.backward()
        expectClose(try #require(clip.grad), try fx.tensor("hf_mae.grad_x"), "grad x")
        // transformers' gradients in VideoMAE's names, by the same mapping (query, key and value fused).
        let expected = Self.pretrainingKeys(try VideoMAEKeyMapping.videoMAEForm(fx.subset("hf_mae.grad.")))
        let gradients = Dictionary(uniqueKeysWithValues: mae.namedParameters().compactMap { p in p.tensor.grad.map { (p.name, $0) } })
        #expect(Set(gradients.keys) == Set(expected.keys))
        for (key, value) in expected {
            expectClose(try #require(gradients[key], "no gradient for \(key)"), value, "grad of \(key)")
        }
    }

    @Test func theOfficialPretrainingLayoutLoadsStrictlyAndMatches() throws {
        let fx = try fixture("vit")
        let store = ParameterStore(dtype: .float64)
        var decoder = VideoMAEDecoderConfiguration(dimension: 16, depth: 2, heads: 2, outputs: 1536)
        decoder.mlpHiddenDimension = 64
        let mae = try MaskedVideoAutoencoder(
            store.root, encoder: VisionTransformerConfiguration(dimension: 32, depth: 2, heads: 4), decoder: decoder)
        try mae.loadStateDict(fx.subset("official_mae.state."))
        let (visible, masked) = try tokens(fx)
        let x = try fx.tensor("x").to(.float64)
        let predictions = withNoGrad { mae(x, visible: visible, masked: masked, mode: .eval) }
        expectClose(predictions, try fx.tensor("official_mae.out"), "masked-token predictions")
    }

    /// MME's release: the decoder wrapped in `decoder.0`, a two-layer head per target (HOG with a
    /// sigmoid, trajectories with a tanh), their outputs concatenated in head order.
    @Test func theOfficialMMELayoutLoadsStrictlyAndMatches() throws {
        let fx = try fixture("vit")
        var decoder = VideoMAEDecoderConfiguration.mme(
            dimension: 16, depth: 2, heads: 2,
            predictionHeads: [
                PredictionHead(outputs: 108, hidden: 512, activation: .sigmoid), PredictionHead(outputs: 32, hidden: 512, activation: .tanh),
            ])
        decoder.mlpHiddenDimension = 64
        #expect(decoder.outputRanges == [0..<108, 108..<140])
        let mae = try MaskedVideoAutoencoder(
            ParameterStore(dtype: .float64).root, encoder: VisionTransformerConfiguration(dimension: 32, depth: 2, heads: 4), decoder: decoder)
        try mae.loadStateDict(fx.subset("official_mme.state."))
        let (visible, masked) = try tokens(fx)
        let x = try fx.tensor("x").to(.float64)
        let predictions = withNoGrad { mae(x, visible: visible, masked: masked, mode: .eval) }
        expectClose(predictions, try fx.tensor("official_mme.out"), "masked-token predictions of both heads")
    }
}
