import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaTensor

/// A VideoMAE-family checkpoint from outside Kinema, read into ``VisionTransformer``'s names
/// (``VideoMAEKeyMapping``) with what the model needs besides its tensors:
///
/// - a transformers folder (`config.json` + `model.safetensors` or shards, as `save_pretrained`
///   writes and the Hub serves): size and input clip from config.json, class names from `id2label`,
///   statistics, resize and crop from `preprocessor_config.json` (ImageNet's, VideoMAE's training
///   normalisation, when the folder has none);
/// - an official VideoMAE or MME checkpoint converted with `Tools/convert/pth_to_safetensors.py`
///   (fine-tuning form, or pretraining form as a start for fine-tuning): no config travels with
///   it, so the size is read off the tensor shapes (``VideoMAEShapes``) unless a registered model
///   is named; ImageNet statistics and VideoMAE's 16×224² clip.
///
/// ```swift
/// let hub = try VideoMAECheckpoint(folder: URL(fileURLWithPath: "videomae-base-finetuned-kinetics"))
/// let model = try hub.classifier(ParameterStore().root)           // 400-way, weights loaded strictly
/// let official = try VideoMAECheckpoint(file: URL(fileURLWithPath: "checkpoint-1599.safetensors"))
/// official.notes   // ["model size read off the tensors: width 768, 12 blocks, 12 heads, MLP 3072, as vit_b_16"]
/// ```
public struct VideoMAECheckpoint {
    /// The folder or file read.
    public let url: URL
    public let configuration: VisionTransformerConfiguration
    /// The tensors in VideoMAE's fine-tuning names (the decoder and pretraining norm set apart).
    public let weights: VideoMAEKeyMapping.Converted
    /// Class names by index (transformers' `id2label`); nil when the checkpoint names none.
    public let classNames: [String]?
    /// The clip the model was trained on.
    public let clip: ClipShape
    public let statistics: InputStatistics
    /// The short side test frames are resized to, and the crop (transformers' processor; nil: the
    /// clip's side for both).
    public let shortSide: Int?
    public let cropSize: Int?
    /// What was assumed or inferred while reading, one sentence each, for the user to see.
    public let notes: [String]

    /// Outputs of the classifier, or nil for a checkpoint without one (`VideoMAEModel`,
    /// `…ForPreTraining`, VideoMAE's pretraining form).
    public var classes: Int? { weights.encoder["head.weight"].flatMap { $0.rank == 2 ? $0.shape[0] : nil } }

    /// "transformers VideoMAE folder", "VideoMAE fine-tuning checkpoint", …
    public var format: String {
        weights.layout == .huggingFace ? "transformers VideoMAE folder" : "\(weights.layout.rawValue) checkpoint"
    }

    /// Reads a transformers folder; every problem is an error naming the file.
    public init(folder: URL) throws {
        let checkpoint: HuggingFaceVideoMAE
        do { checkpoint = try HuggingFaceVideoMAE(folder: folder) } catch { throw TrainingRunError("\(error)") }
        url = folder
        configuration = checkpoint.configuration
        weights = checkpoint.weights
        clip = checkpoint.clip
        var notes: [String] = []
        let processorURL = folder.appendingPathComponent(HuggingFacePreprocessing.fileName)
        if let json = try? Data(contentsOf: processorURL) {
            let processor = try HuggingFacePreprocessing(json: json, source: processorURL.path)
            (statistics, shortSide, cropSize) = (processor.statistics, processor.shortSide, processor.cropSize)
        } else {
            (statistics, shortSide, cropSize) = (InputStatistics(.imagenet), nil, nil)
            notes.append("no \(HuggingFacePreprocessing.fileName): ImageNet's statistics assumed (VideoMAE's training normalisation)")
        }
        let names = checkpoint.classNames
        let classes = weights.encoder["head.weight"]?.shape.first
        if let classes, names.count != classes {
            notes.append("config.json's id2label has \(names.count) names for \(classes) classes: names not used")
        }
        classNames = classes != nil && names.count == classes ? names : nil
        self.notes = notes
    }

    /// Reads an official VideoMAE/MME checkpoint converted to safetensors. `model` names its size
    /// (a registered ViT); without it the size is read off the shapes.
    public init(file: URL, model: ModelName? = nil) throws {
        let tensors: [String: Tensor]
        do { tensors = try Safetensors.load(file).tensors } catch { throw TrainingRunError("\(error)") }
        do { weights = try VideoMAEKeyMapping.videoMAEForm(tensors) } catch {
            throw TrainingRunError("\(file.path): \(error.message)")
        }
        guard weights.layout != .huggingFace else {
            throw TrainingRunError(
                "\(file.path) holds transformers' key names (videomae.…) but no config says the model's epsilon and labels: "
                    + "load the folder it came from, with its config.json, instead of the file")
        }
        url = file
        var notes: [String] = []
        if let model {
            guard let registered = model.vitConfiguration() else {
                throw TrainingRunError(
                    "--model \(model.rawValue) is not a vision transformer, and \(file.path) is a \(weights.layout.rawValue) checkpoint")
            }
            configuration = registered
            clip = model.spec.clip
        } else {
            let (found, note) = try VideoMAEShapes.configuration(of: weights.encoder)
            configuration = found
            notes.append(note)
            clip = ClipShape(frames: 16, height: 224, width: 224)
            notes.append("the input clip is not recorded in the file: VideoMAE's 16×224×224 assumed")
        }
        statistics = InputStatistics(.imagenet)
        (classNames, shortSide, cropSize) = (nil, nil, nil)
        self.notes = notes
    }

    /// The classifier with every tensor loaded strictly; a checkpoint without one is refused.
    public func classifier(_ path: ParameterPath) throws -> VisionTransformer {
        guard let classes else {
            let form = weights.layout == .videoMAEPretraining
                ? "a VideoMAE pretraining checkpoint (encoder./decoder. keys)" : "a checkpoint without a classifier (no classifier.*/head.*)"
            throw TrainingRunError(
                "\(url.path) is \(form): nothing to predict with; fine-tune it first (kinema finetune --set model.pretrained=\(url.path))")
        }
        let model = try VisionTransformer(path, configuration, classes: classes)
        try load(weights.encoder, into: model, purpose: "the classifier it describes")
        return model
    }

    /// The encoder alone, for features: `fc_norm` as the checkpoint has it (fresh otherwise) and a
    /// placeholder one-class head that nothing should read.
    public func encoder(_ path: ParameterPath) throws -> VisionTransformer {
        let model = try VisionTransformer(path, configuration, classes: 1)
        try loadEncoder(into: model)
        return model
    }

    /// Loads the encoder (and `fc_norm` when the checkpoint has it) into `model`, whose own head
    /// stays: fine-tuning classifies other classes. Every encoder tensor must fit, or nothing loads.
    public func loadEncoder(into model: VisionTransformer) throws {
        var tensors = weights.encoder.filter { !$0.key.hasPrefix("head.") }
        let hasPoolNorm = tensors.keys.contains { $0.hasPrefix("fc_norm.") }
        for (name, tensor) in model.stateDict() where name.hasPrefix("head.") || (!hasPoolNorm && name.hasPrefix("fc_norm.")) {
            tensors[name] = tensor
        }
        try load(tensors, into: model, purpose: "the model the config names")
    }

    /// Strict loading; when the tensors' shapes say another model size than `model`'s, the error
    /// says which (the size named by --model or model.name is the likeliest mistake).
    private func load(_ tensors: [String: Tensor], into model: VisionTransformer, purpose: String) throws {
        do {
            try model.loadStateDict(tensors)
        } catch {
            var hint = ""
            if let (found, _) = try? VideoMAEShapes.configuration(of: weights.encoder) {
                let differences = VideoMAEShapes.differences(found, from: model.configuration)
                let name = VideoMAEShapes.registryName(of: found).map { ", as \($0.rawValue)" } ?? ""
                if !differences.isEmpty {
                    hint = "\nWrong model size: the tensors have \(differences.joined(separator: "; "))\(name)."
                }
            }
            throw TrainingRunError("\(url.path) (\(format)) does not fit \(purpose):\n\(error)\(hint)")
        }
    }
}
