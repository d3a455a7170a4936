import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor

/// `kinema import`: a state dict from outside Kinema (``OutsideWeights``) → a Kinema checkpoint
/// that `finetune --pretrained`, `predict`, `features`, `gradcam` and `export` read like a run's
/// (``PretrainedBackbone``). The checkpoint holds the backbone's tensors under `model.` and, as a
/// run's does, a config naming the model, its width and the input statistics it expects.
public enum WeightsImport {
    /// What was imported.
    public struct Summary {
        public let layout: WeightLayout
        public let width: Int
        public let classes: Int
        public let normalization: InputNormalization
        public let tensorCount: Int
        public let notes: [String]
    }

    /// Reads `source` as `model`'s weights and writes the checkpoint to `output` (atomically).
    ///
    /// - Parameters:
    ///   - width, layout: as the tensors show, unless given.
    ///   - normalization: the statistics the weights were trained with; by default the layout's
    ///     usual ones (``defaultNormalization(_:)``), which the summary's notes state.
    public static func run(
        source: URL, model: ModelName, width: Int? = nil, layout: WeightLayout? = nil,
        normalization: InputNormalization? = nil, output: URL
    ) throws -> Summary {
        let weights = try OutsideWeights(file: source, layout: layout)
        let (backbone, width, loadNotes) = try weights.backbone(model, width: width)
        var notes = loadNotes
        let statistics = normalization ?? defaultNormalization(weights.layout)
        if normalization == nil {
            notes.append(
                "taken as trained on \(statistics.rawValue)-normalised clips, \(weights.layout)'s usual statistics "
                    + "(--normalization names others)")
        }
        if weights.layout == .hf {
            notes.append(
                "transformers' LayerNorm epsilons (its config.json's layer_norm_eps, 1e-12 by default; 1e-5 in fc_norm) "
                    + "become VideoMAE's 1e-6: a change far below the variance of the activations they normalise")
        }
        let config: [String: Any] = [
            "model": ["name": model.rawValue, "width": width],
            "data": ["normalization": statistics.rawValue],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), as: UTF8.self)
        let state = backbone.stateDict()
        try Checkpoint(
            step: 0, model: state, modelDescription: "\(model.rawValue) at width \(width), imported",
            metadata: ["config": json, "imported_from": source.lastPathComponent, "imported_layout": weights.layout.rawValue]
        ).save(to: output)
        return Summary(
            layout: weights.layout, width: width, classes: backbone.head.outFeatures, normalization: statistics,
            tensorCount: state.count, notes: notes)
    }

    /// The statistics each code base trains with: TAdaConv's MoSI configs 0.45 / 0.225
    /// (docs/reference-implementations.md §1.5); VideoMAE and transformers ImageNet's; torchvision's
    /// Kinetics-400 weights their own Kinetics statistics (``InputNormalization/torchvision``).
    public static func defaultNormalization(_ layout: WeightLayout) -> InputNormalization {
        switch layout {
        case .tadaconv: .kinetics
        case .torchvision: .torchvision
        case .videomae, .hf: .imagenet
        }
    }
}
