import Foundation
import KinemaNN

/// A transformers VideoMAE checkpoint folder — `config.json` beside `model.safetensors` (or shards
/// listed in `model.safetensors.index.json`), as `save_pretrained` writes it and the Hub serves it
/// (e.g. `MCG-NJU/videomae-base-finetuned-kinetics`) — read into a ``VisionTransformer``.
///
/// ```swift
/// let checkpoint = try HuggingFaceVideoMAE(folder: URL(fileURLWithPath: "videomae-base-finetuned-kinetics"))
/// let model = try checkpoint.model(ParameterStore().root)     // weights loaded strictly
/// checkpoint.classNames[0]                                    // from config.json's id2label
/// checkpoint.clip                                             // 16x224x224
/// ```
///
/// transformers' VideoMAE is VideoMAE's model with other names (``VideoMAEKeyMapping``) and one
/// difference: its `fc_norm` has PyTorch's default epsilon 1e-5 where VideoMAE's has 1e-6 (the
/// configuration carries it).
public struct HuggingFaceVideoMAE {
    /// What config.json says.
    public var config: ModelConfig
    /// The checkpoint in VideoMAE's names.
    public var weights: VideoMAEKeyMapping.Converted

    /// The model as config.json describes it.
    public var configuration: VisionTransformerConfiguration { config.configuration }
    /// The clip the model was trained on (`num_frames`, `image_size`).
    public var clip: ClipShape { config.clip }
    /// Class names by index from `id2label` (empty for a checkpoint without one).
    public var classNames: [String] { config.classNames }

    /// Reads `folder`; every problem (missing or unreadable files, a config Kinema cannot build, keys
    /// that are not VideoMAE's) is an error that names the file.
    public init(folder: URL) throws {
        let configURL = folder.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw ModuleError(
                .invalidConfiguration, path: "",
                "\(folder.path) is not a transformers checkpoint folder: it has no config.json")
        }
        let json: Data
        do {
            json = try Data(contentsOf: configURL)
        } catch {
            throw ModuleError(.invalidConfiguration, path: "", "\(configURL.path): cannot be read (\(error))")
        }
        try self.init(config: try ModelConfig(json: json, source: configURL.path), stateDict: try Self.tensors(in: folder))
    }

    /// From a parsed config.json and the state dict (transformers' key names).
    public init(config: ModelConfig, stateDict: [String: Tensor]) throws {
        self.config = config
        weights = try VideoMAEKeyMapping.videoMAEForm(stateDict)
    }

    /// What a transformers `VideoMAEConfig` (config.json) says about the model.
    public struct ModelConfig: Sendable {
        public var configuration: VisionTransformerConfiguration
        public var clip: ClipShape
        public var classNames: [String]

        /// Parses config.json's text; `source` names it in errors.
        public init(json: Data, source: String = "config.json") throws {
            let config: Fields
            do {
                config = try JSONDecoder().decode(Fields.self, from: json)
            } catch {
                throw ModuleError(.invalidConfiguration, path: "", "\(source): not a VideoMAE config (\(error))")
            }
            guard config.meanPooling else {
                throw ModuleError(
                    .invalidConfiguration, path: "",
                    "\(source): use_mean_pooling is false (the classifier reads the first token); Kinema's ViT pools the mean "
                        + "of all tokens as VideoMAE's fine-tuning does")
            }
            guard config.activation == "gelu" else {
                throw ModuleError(
                    .invalidConfiguration, path: "", "\(source): hidden_act '\(config.activation)' (Kinema's ViT uses exact GELU, 'gelu')")
            }
            guard config.patchSize.height == config.patchSize.width else {
                throw ModuleError(
                    .invalidConfiguration, path: "",
                    "\(source): patch_size \(config.patchSize.height)×\(config.patchSize.width) (Kinema's ViT has square patches)")
            }
            configuration = VisionTransformerConfiguration(
                dimension: config.hiddenSize, depth: config.layers, heads: config.heads)
            configuration.mlpHiddenDimension = config.intermediateSize
            configuration.patchSize = config.patchSize.height
            configuration.tubeletSize = config.tubeletSize
            configuration.channels = config.channels
            configuration.qkvBias = config.queryValueBias
            configuration.layerNormEpsilon = config.layerNormEpsilon
            configuration.poolNormEpsilon = 1e-5  // nn.LayerNorm(hidden_size) in VideoMAEForVideoClassification
            clip = ClipShape(frames: config.frames, height: config.imageSize.height, width: config.imageSize.width)
            classNames = (0..<config.labels.count).map { config.labels[String($0)] ?? "class \($0)" }
        }

        /// The fields of transformers' `VideoMAEConfig` that shape the model, with its defaults: a
        /// config.json written by `save_pretrained` leaves out the values that equal them.
        struct Fields: Decodable {
            var hiddenSize = 768, layers = 12, heads = 12, intermediateSize = 3072
            var patchSize = Sides(height: 16, width: 16), tubeletSize = 2, channels = 3, frames = 16
            var imageSize = Sides(height: 224, width: 224)
            /// `qkv_bias` in transformers 4, `qv_bias` in 5.
            var queryValueBias = true
            var layerNormEpsilon = 1e-12
            var meanPooling = true
            var activation = "gelu"
            var labels: [String: String] = [:]

            /// An int (a square) or `[height, width]`.
            struct Sides: Decodable {
                var height: Int
                var width: Int
                init(height: Int, width: Int) { (self.height, self.width) = (height, width) }
                init(from decoder: any Decoder) throws {
                    let container = try decoder.singleValueContainer()
                    if let side = try? container.decode(Int.self) {
                        (height, width) = (side, side)
                        return
                    }
                    let sides = try container.decode([Int].self)
                    guard sides.count == 2 else {
                        throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an int or [height, width], got \(sides)")
                    }
                    (height, width) = (sides[0], sides[1])
                }
            }

            enum Keys: String, CodingKey {
                case hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, patch_size, tubelet_size
                case num_channels, num_frames, image_size, qkv_bias, qv_bias, layer_norm_eps, use_mean_pooling, hidden_act
                case id2label
            }

            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: Keys.self)
                func value<T: Decodable>(_ key: Keys, _ fallback: T) throws -> T { try c.decodeIfPresent(T.self, forKey: key) ?? fallback }
                hiddenSize = try value(.hidden_size, hiddenSize)
                layers = try value(.num_hidden_layers, layers)
                heads = try value(.num_attention_heads, heads)
                intermediateSize = try value(.intermediate_size, intermediateSize)
                patchSize = try value(.patch_size, patchSize)
                tubeletSize = try value(.tubelet_size, tubeletSize)
                channels = try value(.num_channels, channels)
                frames = try value(.num_frames, frames)
                imageSize = try value(.image_size, imageSize)
                queryValueBias = try value(.qv_bias, try value(.qkv_bias, queryValueBias))
                layerNormEpsilon = try value(.layer_norm_eps, layerNormEpsilon)
                meanPooling = try value(.use_mean_pooling, meanPooling)
                activation = try value(.hidden_act, activation)
                labels = try value(.id2label, labels)
            }
        }
    }

    /// Builds the model under `path` and loads the encoder and classifier strictly; a checkpoint
    /// without a classifier (`VideoMAEModel`, `…ForPreTraining`) gets a fresh `classes`-way head.
    public func model(_ path: ParameterPath, classes: Int? = nil) throws -> VisionTransformer {
        let checkpointClasses = weights.encoder["head.weight"]?.size(0)
        let model = try VisionTransformer(
            path, configuration, classes: classes ?? checkpointClasses ?? max(classNames.count, 1))
        var encoder = weights.encoder
        if checkpointClasses != model.head.outFeatures {
            // No classifier for these classes in the checkpoint: the head keeps its initial values,
            // and so does fc_norm where the checkpoint has none (the pretraining form).
            for (name, tensor) in model.stateDict()
            where name.hasPrefix("head.") || (name.hasPrefix("fc_norm.") && encoder[name] == nil) {
                encoder[name] = tensor
            }
        }
        try model.loadStateDict(encoder)
        return model
    }

    /// Every tensor of the folder's safetensors file(s).
    private static func tensors(in folder: URL) throws -> [String: Tensor] {
        let single = folder.appendingPathComponent("model.safetensors")
        if FileManager.default.fileExists(atPath: single.path) { return try Safetensors.load(single).tensors }
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        guard FileManager.default.fileExists(atPath: index.path) else {
            throw ModuleError(
                .invalidConfiguration, path: "",
                "\(folder.path) has no model.safetensors (nor model.safetensors.index.json); a pytorch_model.bin converts "
                    + "with Tools/convert/pth_to_safetensors.py")
        }
        struct Index: Decodable { var weight_map: [String: String] }
        let map: Index
        do {
            map = try JSONDecoder().decode(Index.self, from: Data(contentsOf: index))
        } catch {
            throw ModuleError(.invalidConfiguration, path: "", "\(index.path): not a safetensors index (\(error))")
        }
        var tensors: [String: Tensor] = [:]
        for file in Set(map.weight_map.values).sorted() {
            tensors.merge(try Safetensors.load(folder.appendingPathComponent(file)).tensors) { first, _ in first }
        }
        return tensors
    }
}
