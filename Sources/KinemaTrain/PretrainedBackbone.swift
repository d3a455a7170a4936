import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor

/// A backbone restored from a Kinema checkpoint: the model that the run's config (saved in the
/// checkpoint's metadata) names, at its width, with its head sized from the checkpoint and every
/// tensor loaded strictly. This is how Grad-CAM, feature extraction and fine-tuning start from a
/// pretrained run (MoSI's backbone, a VideoMAE or MME run's encoder, a CGM-Net run's encoder).
///
/// ```swift
/// let pretrained = try PretrainedBackbone.load(URL(fileURLWithPath: "runs/mosi"))  // or …/last.safetensors
/// pretrained.backbone.featureMap(clip, mode: .eval)
/// pretrained.name      // .r3d18Tiny
/// pretrained.classes   // 9 (the pretext head's outputs)
/// ```
public struct PretrainedBackbone {
    public let backbone: any Backbone
    public let name: ModelName
    /// The stem's channels the run trained at.
    public let width: Int
    /// Outputs of the checkpoint's head.
    public let classes: Int
    /// Optimizer steps the checkpoint had taken.
    public let step: Int
    /// The checkpoint file read.
    public let checkpoint: URL
    /// The run's configuration as JSON (what ``RunConfig/json()`` wrote), for the caller's own
    /// settings (clip length, crop size, …).
    public let configJSON: String
    /// Frames and square crop size of the clips the run trained on, when its config says
    /// (`generator.frames`/`cropSize` for MoSI, `data.frames`/`cropSize` for fine-tuning).
    public let trainedClip: (frames: Int, size: Int)?
    /// The input statistics the run trained with (`data.normalization`; runs that predate the key
    /// used `.kinetics`). Whatever feeds this backbone must normalise its clips with them.
    public let normalization: InputNormalization

    /// Where outputs about this checkpoint go by default: the run folder of a checkpoint in
    /// `<run>/checkpoints/`, else the checkpoint's own folder.
    public var runFolder: URL {
        let folder = checkpoint.deletingLastPathComponent()
        return folder.lastPathComponent == "checkpoints" ? folder.deletingLastPathComponent() : folder
    }

    /// The key that tells a VideoMAE run's masked autoencoder (``MaskedVideoAutoencoder``) apart.
    static let maskedAutoencoderKey = "encoder.patch_embed.proj.weight"

    /// Loads `url`: a checkpoint file, or a run folder (its latest checkpoint). From a VideoMAE
    /// run, the backbone is its encoder with a fresh `fc_norm` and head.
    public static func load(_ url: URL, device: Device = .cpu) throws -> PretrainedBackbone {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw TrainingRunError("no checkpoint or run folder at \(url.path)")
        }
        guard let file = isFolder.boolValue ? RunFolder(url).latestCheckpoint() : url else {
            throw TrainingRunError("\(url.path) is a folder without checkpoints/ (not a finished or interrupted run)")
        }
        let checkpoint = try Checkpoint.load(file)
        guard let json = checkpoint.metadata["config"],
            let config = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let model = config["model"] as? [String: Any]
        else {
            throw TrainingRunError("\(file.path) holds no run config naming its model (was it written by a Kinema run?)")
        }
        // A CGM-Net run names its encoder `model.backbone` (and its width `model.backboneWidth`).
        let encoderOf = model["backbone"] is String ? "encoder." : nil
        guard let rawName = (model["name"] ?? model["backbone"]) as? String else {
            throw TrainingRunError("\(file.path) holds no run config naming its model (was it written by a Kinema run?)")
        }
        guard let name = ModelName(rawValue: rawName) else {
            throw TrainingRunError("\(file.path) names model '\(rawName)', which this build does not know")
        }
        let width = ((model["width"] ?? model["backboneWidth"]) as? Int).flatMap { $0 > 0 ? $0 : nil } ?? name.spec.width
        let store = ParameterStore(device: device)
        let backbone = try name.make(store.root, width: width)
        let classes: Int
        do {
            if let prefix = encoderOf {
                // A CGM-Net run: its encoder is the backbone under `encoder.`, classifier included.
                let tensors = Dictionary(uniqueKeysWithValues: checkpoint.model.compactMap { key, tensor in
                    key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), tensor) : nil
                })
                try backbone.loadStateDict(try tensors.mapValues { tensor throws(TorchError) in try tensor.to(device) })
                classes = name.spec.classes
            } else if let vit = backbone as? VisionTransformer, checkpoint.model[Self.maskedAutoencoderKey] != nil {
                // A VideoMAE run: its encoder (as VideoMAE's fine-tuning reads a pretraining checkpoint:
                // `encoder.` stripped, the decoder and the encoder's final norm left out), with this
                // backbone's fresh fc_norm and head.
                var tensors = try VideoMAEKeyMapping.videoMAEForm(checkpoint.model).encoder
                for path in vit.classifierPaths {
                    for (key, tensor) in path.stateDict() { tensors[path.key(key)] = tensor }
                }
                try vit.loadStateDict(try tensors.mapValues { tensor throws(TorchError) in try tensor.to(device) })
                classes = name.spec.classes
            } else {
                let headKey = backbone.head.path.key("weight")
                guard let headWeight = checkpoint.model[headKey], headWeight.rank == 2 else {
                    throw TrainingRunError("\(file.path) has no 2-D head weight '\(headKey)' for \(name.rawValue)")
                }
                classes = headWeight.shape[0]
                if classes != name.spec.classes { try backbone.resetHead(classes: classes) }
                try backbone.loadStateDict(try checkpoint.model.mapValues { tensor throws(TorchError) in try tensor.to(device) })
            }
        } catch let error as StateDictError {
            throw TrainingRunError("\(file.path) does not fit \(name.rawValue) (width \(width)), the model its config names: \(error)")
        }
        let clipSection = ["generator", "data"].lazy.compactMap { config[$0] as? [String: Any] }.first {
            $0["frames"] is Int && $0["cropSize"] is Int
        }
        let recorded = (config["data"] as? [String: Any])?["normalization"] as? String ?? InputNormalization.kinetics.rawValue
        guard let normalization = InputNormalization(rawValue: recorded) else {
            throw TrainingRunError(
                "\(file.path) was trained with data.normalization '\(recorded)', which this build does not know "
                    + "(\(InputNormalization.names))")
        }
        return PretrainedBackbone(
            backbone: backbone, name: name, width: width, classes: classes, step: checkpoint.step, checkpoint: file,
            configJSON: json, trainedClip: clipSection.map { ($0["frames"] as! Int, $0["cropSize"] as! Int) },
            normalization: normalization)
    }
}
