import KinemaModels
import KinemaNN

/// The size of a VideoMAE ViT read off its tensors, for checkpoints that come without a config
/// (official VideoMAE and MME `.pth` files converted to safetensors): the patch embedding gives the
/// width, channels, tubelet and patch; the block indices the depth; `mlp.fc1` the MLP width; the
/// presence of `q_bias` and `gamma_1` the query/value biases and layer scale.
///
/// The number of attention heads leaves no trace in the shapes (the fused `qkv` weight is `[3D, D]`
/// for any split), so it comes from VideoMAE's sizes — ViT-S 384/6, ViT-B 768/12, ViT-L 1024/16,
/// ViT-H 1280/16, ViT-g 1408/16 — or 64 channels a head for another width that divides by 64
/// (Kinema's rule for its registry); any other width needs the model named.
enum VideoMAEShapes {
    static let headsOfVideoMAESizes = [384: 6, 768: 12, 1024: 16, 1280: 16, 1408: 16]

    /// The configuration of the encoder tensors (``VisionTransformer``'s keys) and a sentence saying
    /// how it was found; throws naming what is missing or odd.
    static func configuration(of encoder: [String: Tensor]) throws -> (VisionTransformerConfiguration, note: String) {
        guard let patch = encoder["patch_embed.proj.weight"], patch.rank == 5, patch.shape[3] == patch.shape[4] else {
            let found = encoder["patch_embed.proj.weight"].map { "\($0.shape)" } ?? "missing"
            throw TrainingRunError(
                "cannot read the model's size: patch_embed.proj.weight should be [width, 3, tubelet, patch, patch], got \(found)")
        }
        let width = patch.shape[0]
        let depth = blockCount(encoder)
        guard depth > 0, let fc1 = encoder["blocks.0.mlp.fc1.weight"], fc1.rank == 2 else {
            throw TrainingRunError("cannot read the model's size: no blocks.0.mlp.fc1.weight among the encoder's tensors")
        }
        guard let heads = headsOfVideoMAESizes[width] ?? (width % 64 == 0 ? width / 64 : nil) else {
            throw TrainingRunError(
                "the tensors are of width \(width), none of VideoMAE's sizes (384, 768, 1024, 1280, 1408) nor a multiple "
                    + "of 64: the number of attention heads cannot be read off shapes; name the model (--model, `kinema list-models`)")
        }
        var configuration = VisionTransformerConfiguration(dimension: width, depth: depth, heads: heads)
        configuration.channels = patch.shape[1]
        configuration.tubeletSize = patch.shape[2]
        configuration.patchSize = patch.shape[3]
        configuration.mlpHiddenDimension = fc1.shape[0]
        configuration.qkvBias = encoder["blocks.0.attn.q_bias"] != nil
        // The value is the initial one; the checkpoint's gammas replace it.
        configuration.layerScale = encoder["blocks.0.gamma_1"] != nil ? 0.1 : nil
        let known = headsOfVideoMAESizes[width] != nil ? "" : " (assumed 64 channels a head)"
        let registered = registryName(of: configuration).map { ", as \($0.rawValue)" } ?? ""
        return (configuration,
            "model size read off the tensors: width \(width), \(depth) blocks, \(heads) head\(heads == 1 ? "" : "s")\(known), "
                + "MLP \(fc1.shape[0])\(registered)")
    }

    /// 1 + the largest `i` of the `blocks.{i}.` keys (0 without blocks).
    static func blockCount(_ tensors: [String: Tensor]) -> Int {
        let indices = tensors.keys.compactMap { key -> Int? in
            guard key.hasPrefix("blocks.") else { return nil }
            return Int(key.dropFirst("blocks.".count).prefix { $0 != "." })
        }
        return (indices.max() ?? -1) + 1
    }

    /// The registered ViT (`kinema list-models`) of this size, if any.
    static func registryName(of configuration: VisionTransformerConfiguration) -> ModelName? {
        ModelName.allCases.first { name in
            guard case .visionTransformer(let depth) = name.spec.architecture else { return false }
            return depth == configuration.depth && name.spec.width == configuration.dimension
        }
    }

    /// How `found` (a checkpoint's) differs from `expected` (the model it should load into), in
    /// words, e.g. ["width 384, not 768", "12 blocks, as expected"…]; empty when the shapes agree.
    static func differences(_ found: VisionTransformerConfiguration, from expected: VisionTransformerConfiguration) -> [String] {
        var lines: [String] = []
        func compare<Value: Equatable>(_ what: String, _ a: Value, _ b: Value) {
            if a != b { lines.append("\(what) \(a), not \(b)") }
        }
        compare("width", found.dimension, expected.dimension)
        compare("blocks", found.depth, expected.depth)
        compare("MLP width", found.mlpHiddenDimension, expected.mlpHiddenDimension)
        compare("patch", found.patchSize, expected.patchSize)
        compare("tubelet", found.tubeletSize, expected.tubeletSize)
        compare("channels", found.channels, expected.channels)
        compare("query/value biases", found.qkvBias, expected.qkvBias)
        compare("layer scale", found.layerScale != nil, expected.layerScale != nil)
        return lines
    }
}
