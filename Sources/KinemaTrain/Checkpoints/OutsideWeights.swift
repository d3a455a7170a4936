import Foundation
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor

/// A plain state dict from outside Kinema — torchvision, TAdaConv (MoSI), VideoMAE, MME or
/// transformers, saved as safetensors — in Kinema's keys (``WeightLayout``), ready to load into one
/// of Kinema's backbones strictly. `kinema import` and `finetune --pretrained` read files through it.
///
/// ```swift
/// let weights = try OutsideWeights(file: URL(fileURLWithPath: "r2plus1d_18.safetensors"))
/// let model = try weights.backbone(.r2plus1d18)   // every tensor loaded, or an error listing the differences
/// ```
public struct OutsideWeights {
    /// The file read.
    public let url: URL
    public let layout: WeightLayout
    /// The tensors under Kinema's keys.
    public let tensors: [String: Tensor]

    /// Reads `url` (a safetensors file; a pickled `.pth` is refused with the command that converts
    /// it) in `layout`, or the layout its keys show.
    public init(file url: URL, layout: WeightLayout? = nil) throws {
        try CheckpointKind.refusePickle(url)
        let contents: Safetensors.Contents
        do { contents = try Safetensors.load(url) } catch {
            throw TrainingRunError("\(url.path) cannot be read as a safetensors file: \(error)")
        }
        guard contents.metadata["format"] != Checkpoint.formatName else {
            throw TrainingRunError("\(url.path) is already a Kinema checkpoint: give it to --pretrained, predict or export as it is")
        }
        guard let layout = layout ?? WeightLayout.detect(contents.tensors.keys) else {
            let sample = contents.tensors.keys.sorted().prefix(5).joined(separator: ", ")
            throw TrainingRunError(
                "\(url.path): its keys are in none of the layouts Kinema reads (torchvision, tadaconv, videomae, hf: "
                    + "docs/interop.md); first keys: \(sample.isEmpty ? "none" : sample). Name the layout with --layout if "
                    + "it is one of them")
        }
        self.url = url
        self.layout = layout
        do { tensors = try layout.kinemaForm(contents.tensors) } catch {
            throw TrainingRunError("\(url.path) (\(layout) layout): \(error)")
        }
    }

    /// Outputs of the classifier the file holds, or nil when it holds none (a VideoMAE pretraining
    /// checkpoint).
    func classes(of model: any Backbone) -> Int? {
        tensors[model.head.path.key("weight")].flatMap { $0.rank == 2 ? $0.shape[0] : nil }
    }

    /// `model` with these weights, at `width` (by default the width the tensors have: the
    /// classifier's inputs, or a ViT's patch embedding, against the registered size's), with the
    /// file's classifier — or a fresh one, and a note, where the file has none. Every other tensor
    /// must be in the file at its shape, and no other: else nothing is built and the error lists
    /// every difference.
    public func backbone(_ model: ModelName, width: Int? = nil, device: Device = .cpu) throws
        -> (backbone: any Backbone, width: Int, notes: [String])
    {
        guard WeightLayout.layouts(of: model).contains(layout) else {
            let fitting = ModelName.allCases.filter { WeightLayout.layouts(of: $0).contains(layout) && !$0.rawValue.hasSuffix("_tiny") }
            throw TrainingRunError(
                "\(url.path) holds \(layout)-layout weights, which \(model.rawValue) cannot take (it reads "
                    + "\(WeightLayout.layouts(of: model).map(\.rawValue).joined(separator: ", "))); models in that layout: "
                    + fitting.map(\.rawValue).joined(separator: ", "))
        }
        let width = try width ?? inferredWidth(model)
        let backbone = try model.make(ParameterStore(device: device).root, width: width)
        var notes: [String] = []
        var tensors = tensors
        if let classes = classes(of: backbone) {
            if classes != backbone.head.outFeatures { try backbone.resetHead(classes: classes) }
        } else {
            for path in backbone.classifierPaths {
                for (key, tensor) in path.stateDict() { tensors[path.key(key)] = tensor }
            }
            notes.append(
                "\(url.lastPathComponent) holds no classifier (a pretraining checkpoint): "
                    + backbone.classifierPaths.map(\.name).joined(separator: " and ") + " start fresh")
        }
        do {
            try backbone.loadStateDict(try tensors.mapValues { tensor throws(TorchError) in try tensor.to(device) })
        } catch {
            throw TrainingRunError(
                "\(url.path) (\(layout) layout) does not fit \(model.rawValue) at width \(width)"
                    + " (name the width with --width, the model with --model):\n\(error)")
        }
        return (backbone, width, notes)
    }

    /// The width the tensors were made at: the classifier's inputs (or a ViT's token width) over
    /// the features a channel of width gives (measured on the model built at width 8, where every
    /// stage's channels are whole), or the registered width when the tensors do not say.
    private func inferredWidth(_ model: ModelName) throws -> Int {
        let probe = try model.make(ParameterStore().root, width: Self.probeWidth)
        let features = tensors[probe.head.path.key("weight")].flatMap { $0.rank == 2 ? $0.shape[1] : nil }
            ?? tensors["patch_embed.proj.weight"]?.shape.first
        guard let features, features * Self.probeWidth % probe.featureDimension == 0 else { return model.spec.width }
        return features * Self.probeWidth / probe.featureDimension
    }

    private static let probeWidth = 8
}
