import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaTensor

/// Where fine-tuning's starting weights came from (``Backbone/loadPretrained(from:name:width:normalization:device:)``).
public struct PretrainedWeights {
    /// The checkpoint file or folder read.
    public let checkpoint: URL
    /// "Kinema checkpoint (r3d_18_tiny, step 400)", "transformers VideoMAE folder", …
    public let format: String
    /// The Kinema run's backbone, when the weights came from one.
    public let kinema: PretrainedBackbone?
    /// What was assumed or inferred while reading, one sentence each.
    public let notes: [String]
}

extension Backbone {
    /// Loads every tensor but the classifier from a pretrained checkpoint — strictly: it must hold
    /// exactly this backbone's non-head tensors, at their shapes, or nothing is loaded and the error
    /// lists every difference. The classifier keeps its fresh initialisation (the head is replaced,
    /// as `resetHead(classes:)` does: fine-tuning classifies other classes than the pretext task).
    ///
    /// - Parameters:
    ///   - url: A Kinema run folder (its latest checkpoint) or checkpoint file (a MoSI run, or
    ///     another fine-tuning); or, for a ViT, a transformers VideoMAE folder or an official
    ///     VideoMAE/MME checkpoint converted to safetensors (``VideoMAECheckpoint``; a pretraining
    ///     checkpoint's encoder, whose `fc_norm` then starts fresh too).
    ///   - name, width: What this backbone is, to name a mismatch in the config's terms.
    ///   - normalization: The statistics it will be trained with: they must be the pretrained
    ///     checkpoint's (a representation learned on inputs shifted by (μ₁ − μ₂)/σ would start
    ///     off-distribution; MoSI and VideoMAE pretrain and fine-tune with the same statistics), else
    ///     nothing is loaded.
    /// - Returns: What was read.
    @discardableResult
    public func loadPretrained(
        from url: URL, name: ModelName, width: Int, normalization: InputNormalization, device: Device = .cpu
    ) throws -> PretrainedWeights {
        switch try CheckpointKind(of: url) {
        case .kinema:
            return try loadKinema(from: url, name: name, width: width, normalization: normalization, device: device)
        case .huggingFaceFolder:
            return try loadEncoder(of: VideoMAECheckpoint(folder: url), name: name, normalization: normalization)
        case .weightsFile where self is VisionTransformer:
            // The config's model names the size.
            return try loadEncoder(of: VideoMAECheckpoint(file: url, model: name), name: name, normalization: normalization)
        case .weightsFile:
            return try loadOutside(from: url, name: name, width: width, normalization: normalization, device: device)
        }
    }

    /// A torchvision or TAdaConv state dict (``OutsideWeights``): the same model at the same width.
    /// The file records no input statistics, so the config's are taken, with a note when the
    /// layout's code base usually trains with others.
    private func loadOutside(
        from url: URL, name: ModelName, width: Int, normalization: InputNormalization, device: Device
    ) throws -> PretrainedWeights {
        let weights = try OutsideWeights(file: url)
        let (other, _, _) = try weights.backbone(name, width: width, device: device)  // its head is replaced
        try loadBody(of: other, source: url.path, name: name, width: width)
        let usual = WeightsImport.defaultNormalization(weights.layout)
        let statistics = usual == normalization ? [] : [
            "\(url.lastPathComponent) records no input statistics: fine-tuning with \(normalization.rawValue)'s, while "
                + "\(weights.layout) weights are usually trained on \(usual.rawValue)'s (--set data.normalization=\(usual.rawValue))"
        ]
        return PretrainedWeights(
            checkpoint: url, format: "\(weights.layout) state dict", kinema: nil,
            notes: statistics)
    }

    /// Every tensor of `other` (the same model) but its classifier, loaded strictly; this
    /// backbone's own head stays.
    private func loadBody(of other: any Backbone, source: String, name: ModelName, width: Int) throws {
        let isHead = { (key: String) in self.path.key(key).hasPrefix(self.head.path.name + ".") }
        var tensors = other.stateDict().filter { !isHead($0.key) }
        for (key, tensor) in stateDict() where isHead(key) { tensors[key] = tensor }
        do {
            try loadStateDict(tensors)
        } catch {
            throw TrainingRunError("cannot fine-tune from \(source): its backbone does not match \(name.rawValue) "
                + "at width \(width):\n\(error)")
        }
    }

    /// A Kinema run's backbone: the same model at the same width, trained on the same statistics.
    private func loadKinema(
        from url: URL, name: ModelName, width: Int, normalization: InputNormalization, device: Device
    ) throws -> PretrainedWeights {
        let pretrained = try PretrainedBackbone.load(url, device: device)
        let source = pretrained.checkpoint.path
        guard pretrained.name == name, pretrained.width == width else {
            throw TrainingRunError(
                "cannot fine-tune from \(source): it holds \(pretrained.name.rawValue) at width \(pretrained.width), but the "
                    + "config asks for \(name.rawValue) at width \(width) (set --set model.name=\(pretrained.name.rawValue) "
                    + "--set model.width=\(pretrained.width) to fine-tune the pretrained model)")
        }
        guard pretrained.normalization == normalization else {
            throw TrainingRunError(
                "cannot fine-tune from \(source): it was trained on \(pretrained.normalization.rawValue)-normalised clips, "
                    + "but the config normalises with \(normalization.rawValue) (set --set "
                    + "data.normalization=\(pretrained.normalization.rawValue) to fine-tune with the statistics it learned on)")
        }
        // The checkpoint's tensors with this model's own head in place of the pretext head, loaded
        // strictly: a missing, unexpected or reshaped backbone tensor refuses the whole load.
        try loadBody(of: pretrained.backbone, source: source, name: name, width: width)
        return PretrainedWeights(
            checkpoint: pretrained.checkpoint, format: "Kinema checkpoint (\(pretrained.name.rawValue), step \(pretrained.step))",
            kinema: pretrained, notes: [])
    }

    /// A VideoMAE encoder from outside Kinema into this ViT; its own classifier stays.
    private func loadEncoder(
        of checkpoint: VideoMAECheckpoint, name: ModelName, normalization: InputNormalization
    ) throws -> PretrainedWeights {
        let source = checkpoint.url.path
        guard let vit = self as? VisionTransformer else {
            throw TrainingRunError(
                "cannot fine-tune \(name.rawValue) from \(source): it holds a VideoMAE vision transformer (set model.name "
                    + "to a vit_* model, `kinema list-models`)")
        }
        guard checkpoint.statistics.named == normalization else {
            let fix = checkpoint.statistics.named.map { "set --set data.normalization=\($0.rawValue)" }
                ?? "no data.normalization names them (\(InputNormalization.names))"
            throw TrainingRunError(
                "cannot fine-tune from \(source): it was trained on clips normalised with \(checkpoint.statistics), but the "
                    + "config normalises with \(normalization.rawValue); \(fix)")
        }
        try checkpoint.loadEncoder(into: vit)
        var notes = checkpoint.notes
        let (found, own) = (checkpoint.configuration, vit.configuration)
        if found.layerNormEpsilon != own.layerNormEpsilon || found.poolNormEpsilon != own.poolNormEpsilon {
            notes.append(
                "its LayerNorm epsilons are \(found.layerNormEpsilon) (blocks) and \(found.poolNormEpsilon) (fc_norm); "
                    + "\(name.rawValue) uses \(own.layerNormEpsilon) and \(own.poolNormEpsilon): a change far below the "
                    + "variance of the activations they normalise")
        }
        return PretrainedWeights(checkpoint: checkpoint.url, format: checkpoint.format, kinema: nil, notes: notes)
    }
}
