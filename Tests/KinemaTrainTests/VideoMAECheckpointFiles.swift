import Foundation
import KinemaModels
import KinemaNN
import KinemaTensor

/// VideoMAE checkpoints as users have them, written from Kinema models whose weights the tests
/// know: the official fine-tuning and pretraining forms (what pth_to_safetensors.py writes) and a
/// transformers folder (what save_pretrained writes).
enum VideoMAECheckpointFiles {
    /// A small ViT in vit_s_16_tiny's layout at width 64 (4 blocks, 1 head of 64), seeded.
    static func model(classes: Int, seed: UInt64 = 7, layerScale: Double? = nil) throws -> VisionTransformer {
        var configuration = ModelName.vitS16Tiny.vitConfiguration(width: 64)!
        configuration.layerScale = layerScale
        return try VisionTransformer(ParameterStore(generator: try Generator(seed: seed)).root, configuration, classes: classes)
    }

    /// The official fine-tuning form: VisionTransformer's own keys.
    static func fineTuning(_ model: VisionTransformer, to url: URL) throws {
        try Safetensors.save(Safetensors.Contents(tensors: model.stateDict()), to: url)
    }

    /// The official pretraining form: the encoder under `encoder.` with its final norm, no fc_norm
    /// or head, and (a part of) a decoder.
    static func pretraining(_ model: VisionTransformer, to url: URL) throws {
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in model.stateDict() where !name.hasPrefix("head.") && !name.hasPrefix("fc_norm.") {
            tensors["encoder." + name] = tensor
        }
        tensors["encoder.norm.weight"] = Tensor.ones([64])
        tensors["encoder.norm.bias"] = Tensor.zeros([64])
        tensors["encoder_to_decoder.weight"] = Tensor.zeros([32, 64])
        tensors["mask_token"] = Tensor.zeros([1, 1, 32])
        try Safetensors.save(Safetensors.Contents(tensors: tensors), to: url)
    }

    /// A transformers folder of `model` (config.json with transformers' default epsilon 1e-12, id2label).
    static func huggingFace(_ model: VisionTransformer, labels: [String], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let c = model.configuration
        let id2label = Dictionary(uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) })
        let config: [String: Any] = [
            "model_type": "videomae", "hidden_size": c.dimension, "num_hidden_layers": c.depth, "num_attention_heads": c.heads,
            "intermediate_size": c.mlpHiddenDimension, "image_size": 64, "num_frames": 8, "id2label": id2label,
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        let tensors = try VideoMAEKeyMapping.huggingFaceForm(model.stateDict())
        try Safetensors.save(Safetensors.Contents(tensors: tensors), to: folder.appendingPathComponent("model.safetensors"))
    }
}
