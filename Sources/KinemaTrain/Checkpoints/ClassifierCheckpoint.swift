import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaTensor

/// A classifier from anywhere a user may have one, ready to predict: the model with its weights,
/// the class names when the checkpoint knows them, the statistics its clips were normalised with,
/// the clip it expects and how its own evaluation cuts a test clip.
///
/// | path | read by |
/// |---|---|
/// | a Kinema run folder or checkpoint | ``PretrainedBackbone`` (class names from the run's dataset, when it is still there) |
/// | a transformers VideoMAE folder (config.json, model.safetensors) | ``VideoMAECheckpoint/init(folder:)`` |
/// | an official VideoMAE/MME safetensors file (`pth_to_safetensors.py`) | ``VideoMAECheckpoint/init(file:model:)`` |
///
/// ```swift
/// let checkpoint = try ClassifierCheckpoint.load(URL(fileURLWithPath: "videomae-base-finetuned-kinetics"))
/// checkpoint.classNames?[0]    // "abseiling"
/// checkpoint.clip              // 16x224x224
/// ```
public struct ClassifierCheckpoint {
    /// The folder or file read.
    public let url: URL
    /// "Kinema checkpoint (vit_s_16_tiny, step 400)", "transformers VideoMAE folder", …
    public let format: String
    public let backbone: any Backbone
    /// Class names by index; nil when the checkpoint does not record them.
    public let classNames: [String]?
    public let statistics: InputStatistics
    /// The clip the model was trained on (frames, crop).
    public let clip: ClipShape
    /// One test clip and crop as the checkpoint's own evaluation cuts them (its sampling, placement,
    /// resize and crop; a Kinema fine-tuning's frame-order control).
    public let settings: PredictionSettings
    /// What was assumed or inferred while reading, one sentence each.
    public let notes: [String]
    /// The Kinema run the checkpoint came from (its config, step, model name); nil for a
    /// checkpoint from outside Kinema.
    public let kinema: PretrainedBackbone?

    /// Outputs of the classifier.
    public var classes: Int { backbone.head.outFeatures }

    /// Where outputs about the checkpoint go by default: a Kinema run's folder, a transformers
    /// folder itself, or the folder holding a weights file.
    public var outputFolder: URL {
        if let kinema { return kinema.runFolder }
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
        return isFolder.boolValue ? url : url.deletingLastPathComponent()
    }

    /// Loads `url` (see the table above). `model` names the size of an official checkpoint, which
    /// carries no config (read off its shapes otherwise); other kinds ignore it. Without
    /// `requireClassifier`, an outside checkpoint without a classifier (a pretraining one) loads
    /// for its features, with a placeholder one-class head (``VideoMAECheckpoint/encoder(_:)``).
    public static func load(
        _ url: URL, model: ModelName? = nil, device: Device = .cpu, requireClassifier: Bool = true
    ) throws -> ClassifierCheckpoint {
        switch try CheckpointKind(of: url) {
        case .kinema:
            return try kinema(PretrainedBackbone.load(url, device: device))
        case .huggingFaceFolder:
            return try videoMAE(VideoMAECheckpoint(folder: url), device: device, requireClassifier: requireClassifier)
        case .weightsFile:
            // A CNN's state dict says nothing of its clip or statistics: `kinema import` records them.
            if let layout = (try? Safetensors.load(url)).flatMap({ WeightLayout.detect($0.tensors.keys) }),
                layout == .torchvision || layout == .tadaconv
            {
                throw TrainingRunError(
                    "\(url.path) is a plain \(layout) state dict, which records neither its model's clip nor its input "
                        + "statistics: import it first with `kinema import \(url.path) --model NAME --output FILE.safetensors` "
                        + "(docs/interop.md), then give FILE.safetensors")
            }
            return try videoMAE(VideoMAECheckpoint(file: url, model: model), device: device, requireClassifier: requireClassifier)
        }
    }

    /// A Kinema run's classifier: a fine-tuning's test settings and dataset class names, or a
    /// pretraining run's clip at MoSI's fine-tuning sampling (its head classifies the pretext
    /// task's classes, which have no names).
    private static func kinema(_ pretrained: PretrainedBackbone) throws -> ClassifierCheckpoint {
        var notes: [String] = []
        let settings: PredictionSettings
        var classNames: [String]?
        if let config = try? FineTuneConfig.resolve(for: pretrained, file: nil, overrides: [], requireFineTuned: true) {
            settings = PredictionSettings(
                sampling: config.data.sampling, views: config.data.testViews(single: true), control: try config.data.loader().control)
            let names = try? config.data.dataset(.train).classNames
            classNames = names?.count == pretrained.classes ? names : nil
            if classNames == nil {
                notes.append("the run's training set (data.*) cannot be read here, so its class names are unknown: pass --classes")
            }
        } else {
            let trained = pretrained.trainedClip ?? (pretrained.name.spec.clip.frames, pretrained.name.spec.clip.height)
            var sampling = FineTuneDataSettings().sampling
            sampling.frames = trained.frames
            // MoSI's test crop is 0.875 of the short side.
            settings = PredictionSettings(
                sampling: sampling, views: TestViews(clips: 1, crops: 1, shortSide: (trained.size * 8 + 6) / 7, cropSize: trained.size))
        }
        return ClassifierCheckpoint(
            url: pretrained.checkpoint, format: "Kinema checkpoint (\(pretrained.name.rawValue), step \(pretrained.step))",
            backbone: pretrained.backbone, classNames: classNames, statistics: InputStatistics(pretrained.normalization),
            clip: ClipShape(frames: settings.sampling.frames, height: settings.views.cropSize, width: settings.views.cropSize),
            settings: settings, notes: notes, kinema: pretrained)
    }

    /// A VideoMAE classifier from outside Kinema: VideoMAE's test sampling (stride 4, clips spread
    /// from first to last) at the model's clip, the processor's resize and crop.
    private static func videoMAE(
        _ checkpoint: VideoMAECheckpoint, device: Device, requireClassifier: Bool
    ) throws -> ClassifierCheckpoint {
        let root = ParameterStore(device: device).root
        var notes = checkpoint.notes
        let model: VisionTransformer
        if checkpoint.classes == nil, !requireClassifier {
            model = try checkpoint.encoder(root)
            notes.append("it has no classifier: its features are the mean token through a fresh fc_norm (unit scale, no shift)")
        } else {
            model = try checkpoint.classifier(root)
        }
        var sampling = ClipSampling.videoMAE
        sampling.frames = checkpoint.clip.frames
        let crop = checkpoint.cropSize ?? min(checkpoint.clip.height, checkpoint.clip.width)
        if checkpoint.clip.height != checkpoint.clip.width {
            notes.append("the model was trained on \(checkpoint.clip.width)×\(checkpoint.clip.height) frames; test crops are square (\(crop)²)")
        }
        return ClassifierCheckpoint(
            url: checkpoint.url, format: checkpoint.format, backbone: model, classNames: checkpoint.classNames,
            statistics: checkpoint.statistics, clip: checkpoint.clip,
            settings: PredictionSettings(
                sampling: sampling, views: TestViews(clips: 1, crops: 1, shortSide: max(checkpoint.shortSide ?? crop, crop), cropSize: crop),
                control: .none),
            notes: notes, kinema: nil)
    }
}
