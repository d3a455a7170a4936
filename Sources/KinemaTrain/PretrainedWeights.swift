import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaTensor

extension Backbone {
    /// Loads every tensor but the classifier from a pretrained Kinema run (a MoSI run, or another
    /// fine-tuning) — strictly: the checkpoint must hold exactly this backbone's non-head tensors,
    /// at their shapes, or nothing is loaded and the error lists every difference. The classifier
    /// keeps its fresh initialisation (the head is replaced, as `resetHead(classes:)` does:
    /// fine-tuning classifies other classes than the pretext task).
    ///
    /// - Parameters:
    ///   - url: A run folder (its latest checkpoint) or a checkpoint file.
    ///   - name, width: What this backbone is, to name a mismatch in the config's terms.
    ///   - normalization: The statistics it will be trained with: they must be the pretrained run's
    ///     (a representation learned on inputs shifted by (μ₁ − μ₂)/σ would start off-distribution;
    ///     MoSI pretrains and fine-tunes with the same statistics), else nothing is loaded.
    /// - Returns: The checkpoint read.
    @discardableResult
    public func loadPretrained(
        from url: URL, name: ModelName, width: Int, normalization: InputNormalization, device: Device = .cpu
    ) throws -> PretrainedBackbone {
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
        let isHead = { (key: String) in self.path.key(key).hasPrefix(self.head.path.name + ".") }
        var tensors = pretrained.backbone.stateDict().filter { !isHead($0.key) }
        for (key, tensor) in stateDict() where isHead(key) { tensors[key] = tensor }
        do {
            try loadStateDict(tensors)
        } catch {
            throw TrainingRunError("cannot fine-tune from \(source): its backbone does not match \(name.rawValue) "
                + "at width \(width):\n\(error)")
        }
        return pretrained
    }
}
