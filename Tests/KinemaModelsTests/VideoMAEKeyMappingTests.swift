import Foundation
import KinemaModels
import KinemaTestSupport
import Testing

// The one key mapping between VideoMAE's fine-tuning and pretraining layouts and transformers'
// (the parity against transformers itself is in VisionTransformerParityTests).
@Suite struct VideoMAEKeyMappingTests {
    /// A 2-block ViT (VideoMAE fine-tuning names) with random values.
    private func model(layerScale: Double? = nil) throws -> VisionTransformer {
        var configuration = VisionTransformerConfiguration(dimension: 8, depth: 2, heads: 2)
        configuration.layerScale = layerScale
        return try VisionTransformer(ParameterStore(generator: try Generator(seed: 4)).root, configuration, classes: 3)
    }

    private func expectSame(_ a: [String: Tensor], _ b: [String: Tensor]) {
        #expect(Set(a.keys) == Set(b.keys))
        for (key, value) in a { #expect(b[key].map { $0.isEqual(to: value) } == true, "\(key) changed") }
    }

    @Test func transformersNamesRoundTripBitwise() throws {
        let state = try model().stateDict()
        let huggingFace = try VideoMAEKeyMapping.huggingFaceForm(state)
        #expect(huggingFace["videomae.encoder.layer.1.attention.attention.key.weight"]?.shape == [8, 8])
        #expect(huggingFace["videomae.embeddings.patch_embeddings.projection.weight"] != nil)
        #expect(huggingFace["classifier.bias"] != nil && huggingFace["fc_norm.weight"] != nil)
        #expect(huggingFace.count == state.count + 2 * 2, "qkv splits into three tensors in each of 2 blocks")
        let back = try VideoMAEKeyMapping.videoMAEForm(huggingFace)
        #expect(back.layout == .huggingFace && back.decoder.isEmpty && back.encoderNorm.isEmpty)
        expectSame(back.encoder, state)
    }

    @Test func aBareTransformersModelAndWrappedCheckpointsAreRecognised() throws {
        let state = try model().stateDict()
        let bare = Dictionary(uniqueKeysWithValues: try VideoMAEKeyMapping.huggingFaceForm(state).map { key, value in
            (key.hasPrefix("videomae.") ? String(key.dropFirst("videomae.".count)) : key, value)
        })
        expectSame(try VideoMAEKeyMapping.videoMAEForm(bare).encoder, state)
        for wrapper in ["module.", "model."] {
            let wrapped = Dictionary(uniqueKeysWithValues: state.map { (wrapper + $0.key, $0.value) })
            let converted = try VideoMAEKeyMapping.videoMAEForm(wrapped)
            #expect(converted.layout == .videoMAEFineTuning)
            expectSame(converted.encoder, state)
        }
    }

    @Test func aPretrainingCheckpointSplitsIntoEncoderNormAndDecoder() throws {
        let state = try model().stateDict()
        var pretraining = Dictionary(uniqueKeysWithValues: state.filter { !$0.key.hasPrefix("head.") && !$0.key.hasPrefix("fc_norm.") }
            .map { ("encoder." + $0.key, $0.value) })
        pretraining["encoder.norm.weight"] = Tensor.ones([8])
        pretraining["encoder.norm.bias"] = Tensor.zeros([8])
        let decoderBlock = state.filter { $0.key.hasPrefix("blocks.0.") }
        for (key, value) in decoderBlock { pretraining["decoder." + key] = value }
        pretraining["decoder.norm.weight"] = Tensor.ones([8])
        pretraining["decoder.head.weight"] = Tensor.randn([1536, 8])
        pretraining["encoder_to_decoder.weight"] = Tensor.randn([8, 8])
        pretraining["mask_token"] = Tensor.zeros([1, 1, 8])

        let converted = try VideoMAEKeyMapping.videoMAEForm(pretraining)
        #expect(converted.layout == .videoMAEPretraining)
        expectSame(converted.encoder, state.filter { !$0.key.hasPrefix("head.") && !$0.key.hasPrefix("fc_norm.") })
        #expect(Set(converted.encoderNorm.keys) == ["norm.bias", "norm.weight"])
        #expect(converted.decoder.count == decoderBlock.count + 4 && converted.decoder["decoder.blocks.0.attn.qkv.weight"] != nil)

        // The same checkpoint in transformers' names (VideoMAEForPreTraining) converts to the same.
        let viaTransformers = try VideoMAEKeyMapping.videoMAEForm(try VideoMAEKeyMapping.huggingFaceForm(pretraining))
        #expect(try VideoMAEKeyMapping.huggingFaceForm(pretraining)["decoder.decoder_layers.0.layernorm_before.weight"] != nil)
        #expect(try VideoMAEKeyMapping.huggingFaceForm(pretraining)["videomae.layernorm.weight"] != nil)
        expectSame(viaTransformers.encoder, converted.encoder)
        expectSame(viaTransformers.decoder, converted.decoder)
        expectSame(viaTransformers.encoderNorm, converted.encoderNorm)
    }

    @Test func keysOutsideEveryLayoutAreRefusedByName() throws {
        var state = try model().stateDict()
        state["rel_pos.relative_position_bias_table"] = Tensor.zeros([3])
        state["cls_token"] = Tensor.zeros([1, 1, 8])
        let error = try #require(throws: ModuleError.self) { try VideoMAEKeyMapping.videoMAEForm(state) }
        #expect("\(error)".contains("cls_token") && "\(error)".contains("rel_pos.relative_position_bias_table"))

        let notViT = ["layer1.0.conv1.0.weight": Tensor.zeros([1]), "fc.weight": Tensor.zeros([1])]
        let other = try #require(throws: ModuleError.self) { try VideoMAEKeyMapping.videoMAEForm(notViT) }
        #expect("\(other)".contains("not a VideoMAE"))

        var huggingFace = try VideoMAEKeyMapping.huggingFaceForm(try model().stateDict())
        huggingFace["videomae.encoder.layer.0.attention.attention.value.weight"] = nil
        let split = try #require(throws: ModuleError.self) { try VideoMAEKeyMapping.videoMAEForm(huggingFace) }
        #expect("\(split)".contains("value missing"))

        // transformers' VideoMAE has no layer scale: such a model has no transformers form.
        let scaled = try model(layerScale: 0.1).stateDict()
        let export = try #require(throws: ModuleError.self) { try VideoMAEKeyMapping.huggingFaceForm(scaled) }
        #expect("\(export)".contains("blocks.0.gamma_1") && "\(export)".contains("layer scale"))
    }

    @Test func aCheckpointOfAnotherSizeIsRefusedWithEveryDifference() throws {
        let state = try model(layerScale: 0.5).stateDict()
        let wider = try VisionTransformer(
            ParameterStore().root, VisionTransformerConfiguration(dimension: 16, depth: 3, heads: 2), classes: 3)
        let error = try #require(throws: StateDictError.self) { try wider.loadStateDict(state) }
        let text = "\(error)"
        #expect(text.contains("blocks.2.attn.qkv.weight") && text.contains("patch_embed.proj.weight"), "\(text)")
        #expect(text.contains("blocks.0.gamma_1"), "\(text)")
    }
}
