import Foundation
import KinemaModels
import KinemaTestSupport
import Testing

/// Reading transformers VideoMAE folders: config.json with transformers' defaults and both
/// versions' names, single and sharded safetensors, and the errors a user can run into.
@Suite struct HuggingFaceVideoMAETests {
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-hf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A small classifier, and its folder as `save_pretrained` would write it.
    private func savedClassifier(in folder: URL, shards: Bool = false) throws -> VisionTransformer {
        var configuration = VisionTransformerConfiguration(dimension: 16, depth: 2, heads: 2)
        configuration.poolNormEpsilon = 1e-5
        configuration.layerNormEpsilon = 1e-12
        let model = try VisionTransformer(ParameterStore(generator: try Generator(seed: 9)).root, configuration, classes: 3)
        let config = """
            {"model_type": "videomae", "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
             "intermediate_size": 64, "image_size": 32, "num_frames": 4, "id2label": {"0": "left", "1": "right", "2": "still"}}
            """
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        let tensors = try VideoMAEKeyMapping.huggingFaceForm(model.stateDict())
        if shards {
            let names = tensors.keys.sorted()
            let halves = [Array(names.prefix(names.count / 2)), Array(names.dropFirst(names.count / 2))]
            var map: [String: String] = [:]
            for (i, half) in halves.enumerated() {
                let file = "model-0000\(i + 1)-of-00002.safetensors"
                try Safetensors.save(Safetensors.Contents(tensors: tensors.filter { half.contains($0.key) }), to: folder.appendingPathComponent(file))
                for name in half { map[name] = file }
            }
            let index = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
            try index.write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        } else {
            try Safetensors.save(Safetensors.Contents(tensors: tensors), to: folder.appendingPathComponent("model.safetensors"))
        }
        return model
    }

    @Test(arguments: [false, true])
    func aSavedFolderLoadsToTheSameModel(shards: Bool) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try savedClassifier(in: folder, shards: shards)
        let checkpoint = try HuggingFaceVideoMAE(folder: folder)
        #expect(checkpoint.classNames == ["left", "right", "still"])
        #expect(checkpoint.clip == ClipShape(frames: 4, height: 32, width: 32))
        #expect(checkpoint.configuration == original.configuration)
        let loaded = try checkpoint.model(ParameterStore().root)
        let clip = Tensor.randn([1, 3, 4, 32, 32], generator: try Generator(seed: 1))
        #expect(withNoGrad { loaded(clip, mode: .eval).isEqual(to: original(clip, mode: .eval)) })
        // Another label set: the encoder loads, the head is new.
        let other = try checkpoint.model(ParameterStore().root, classes: 7)
        #expect(other.head.outFeatures == 7)
        #expect(other.stateDict()["blocks.1.mlp.fc2.weight"]!.isEqual(to: original.stateDict()["blocks.1.mlp.fc2.weight"]!))
    }

    @Test func bothVersionsNamesAndTransformersDefaultsAreRead() throws {
        // transformers 4 wrote `qkv_bias`, 5 writes `qv_bias`; omitted keys take VideoMAEConfig's defaults.
        let old = try HuggingFaceVideoMAE.ModelConfig(json: Data(#"{"qkv_bias": false, "patch_size": [16, 16]}"#.utf8))
        #expect(old.configuration.qkvBias == false && old.configuration.patchSize == 16)
        #expect(old.configuration.dimension == 768 && old.configuration.depth == 12 && old.configuration.heads == 12)
        #expect(old.configuration.layerNormEpsilon == 1e-12 && old.clip == ClipShape(frames: 16, height: 224, width: 224))
        let new = try HuggingFaceVideoMAE.ModelConfig(json: Data(#"{"qv_bias": false}"#.utf8))
        #expect(new.configuration.qkvBias == false)
    }

    @Test func unusableFoldersAreRefusedWithTheReason() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var error = try #require(throws: ModuleError.self) { try HuggingFaceVideoMAE(folder: folder) }
        #expect("\(error)".contains("no config.json"))

        try Data(#"{"hidden_size": 16, "num_attention_heads": 2}"#.utf8).write(to: folder.appendingPathComponent("config.json"))
        error = try #require(throws: ModuleError.self) { try HuggingFaceVideoMAE(folder: folder) }
        #expect("\(error)".contains("no model.safetensors") && "\(error)".contains("pth_to_safetensors"))

        for (config, reason) in [
            (#"{"use_mean_pooling": false}"#, "use_mean_pooling is false"), (#"{"hidden_act": "relu"}"#, "hidden_act 'relu'"),
            (#"{"patch_size": [16, 8]}"#, "square patches"), (#"{"image_size": [1, 2, 3]}"#, "not a VideoMAE config"),
            ("not json", "not a VideoMAE config"),
        ] {
            let refused = try #require(throws: ModuleError.self) {
                try HuggingFaceVideoMAE.ModelConfig(json: Data(config.utf8))
            }
            #expect("\(refused)".contains(reason), "\(config): \(refused)")
        }
    }
}
