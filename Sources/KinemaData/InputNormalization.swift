/// The per-channel statistics that clips are normalised with, `(pixel / 255 − mean) / std`.
/// A backbone must see the statistics it was trained with: a pretraining run records its choice
/// (`data.normalization`), and whatever loads the backbone later reads it back.
public enum InputNormalization: String, Sendable, Codable, CaseIterable {
    /// 0.45 / 0.225 on every channel: MoSI's and TAdaConv's pretraining and fine-tuning
    /// (docs/reference-implementations.md §1.5, §1.8).
    case kinetics
    /// ImageNet's per-channel statistics: VideoMAE, and the official MoSI configs that pretrain on
    /// ImageNet (docs/reference-implementations.md §1.5).
    case imagenet
    /// Kinetics-400's per-channel statistics as torchvision's video weights use them
    /// (`R3D_18_Weights.KINETICS400_V1.transforms()` and its siblings: mean (0.43216, 0.394666,
    /// 0.37645), std (0.22803, 0.22145, 0.216989)), for weights imported from torchvision.
    case torchvision
    /// 0.5 / 0.5 on every channel, pixels in [−1, 1]: CGM-Net's images (Tian et al. 2020 §4.1),
    /// which its motion maps also synthesise.
    case symmetric

    public var mean: [Float] {
        switch self {
        case .kinetics: [0.45, 0.45, 0.45]
        case .imagenet: [0.485, 0.456, 0.406]
        case .torchvision: [0.43216, 0.394666, 0.37645]
        case .symmetric: [0.5, 0.5, 0.5]
        }
    }

    public var std: [Float] {
        switch self {
        case .kinetics: [0.225, 0.225, 0.225]
        case .imagenet: [0.229, 0.224, 0.225]
        case .torchvision: [0.22803, 0.22145, 0.216989]
        case .symmetric: [0.5, 0.5, 0.5]
        }
    }

    /// The names a config may use, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: " or ") }
}
