import Foundation
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor

/// `kinema export`: a Kinema checkpoint's model as a plain PyTorch `state_dict` in safetensors,
/// under the keys of the code base it came from or goes to (``WeightLayout``), which that code
/// loads with `load_state_dict(safetensors.torch.load_file(…), strict=True)`
/// (``pythonLines``). Tensors keep their dtypes: BatchNorm's `num_batches_tracked` stays int64.
public enum WeightsExport {
    /// What was written.
    public struct Summary {
        public let layout: WeightLayout
        public let model: ModelName
        public let width: Int
        public let classes: Int
        public let tensorCount: Int
        /// Python that builds the matching model and loads the file strictly.
        public let pythonLines: String
    }

    /// Writes the model of `checkpoint` (a Kinema checkpoint file or run folder) to `output` in
    /// `layout` (the model family's default unless given). A VideoMAE or MME run's masked
    /// autoencoder is written whole (encoder and decoder, VideoMAE's pretraining keys); any other
    /// run's backbone with its classifier.
    public static func run(checkpoint: URL, layout: WeightLayout? = nil, output: URL) throws -> Summary {
        let pretrained = try PretrainedBackbone.load(checkpoint)
        let layouts = WeightLayout.layouts(of: pretrained.name)
        let layout = layout ?? layouts[0]
        guard layouts.contains(layout) else {
            throw TrainingRunError(
                "\(pretrained.checkpoint.path) holds \(pretrained.name.rawValue), which exports as "
                    + "\(layouts.map(\.rawValue).joined(separator: " or ")), not \(layout) (--layout)")
        }
        let saved = try Checkpoint.load(pretrained.checkpoint).model
        let isAutoencoder = saved[PretrainedBackbone.maskedAutoencoderKey] != nil
        let tensors: [String: Tensor]
        do {
            tensors = try layout.exported(isAutoencoder ? saved : pretrained.backbone.stateDict())
        } catch {
            throw TrainingRunError("\(pretrained.checkpoint.path) cannot be written in the \(layout) layout: \(error)")
        }
        do {
            try Safetensors.save(Safetensors.Contents(tensors: tensors, metadata: ["format": "pt"]), to: output)
        } catch {
            throw TrainingRunError("\(output.path) cannot be written: \(error)")
        }
        return Summary(
            layout: layout, model: pretrained.name, width: pretrained.width, classes: pretrained.classes,
            tensorCount: tensors.count,
            pythonLines: pythonLines(
                layout, pretrained.name, width: pretrained.width, classes: pretrained.classes,
                vit: (pretrained.backbone as? VisionTransformer)?.configuration, autoencoder: isAutoencoder,
                file: output.path))
    }
}
