import KinemaNN

/// The outside code bases whose state dicts Kinema's backbones read and write (`kinema import`,
/// `kinema export`, `finetune --pretrained`; docs/interop.md), and the key mapping for each — one
/// per model family:
///
/// | layout | Kinema model | keys |
/// |---|---|---|
/// | `torchvision` | ``VideoResNet`` (`r3d_18`, `mc3_18`, `r2plus1d_18`) | the same: `VideoResNet` has torchvision's names |
/// | `tadaconv` | ``ResNet3D`` (`r2plus1d_10`, `r2d3d_18`) | the same, except MoSI's pretext head `head.out_joint.*` (TAdaConv's `MoSIHeadJoint`), which is Kinema's `head.out.*` |
/// | `videomae` | ``VisionTransformer`` | the same (fine-tuning keys; a pretraining checkpoint's encoder through ``VideoMAEKeyMapping``) |
/// | `hf` | ``VisionTransformer`` | transformers' VideoMAE names, through ``VideoMAEKeyMapping`` |
///
/// A `module.` or `model.` prefix on every key (a DistributedDataParallel or wrapper model) is
/// removed on reading.
public enum WeightLayout: String, CaseIterable, Sendable, CustomStringConvertible {
    case torchvision
    case tadaconv
    case videomae
    case hf

    public var description: String { rawValue }

    /// The layout called `name`; an unknown name is an error that lists the known ones.
    public init(validating name: String) throws(ModuleError) {
        guard let layout = WeightLayout(rawValue: name) else {
            throw ModuleError(
                .invalidConfiguration, path: "",
                "unknown layout '\(name)'; known layouts: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = layout
    }

    /// The layouts `model` reads and writes, its default first.
    public static func layouts(of model: ModelName) -> [WeightLayout] {
        switch model.spec.architecture {
        case .videoResNet: [.torchvision]
        case .resNet3D: [.tadaconv]
        case .visionTransformer: [.videomae, .hf]
        }
    }

    /// The layout `keys` are in, or nil when they show none.
    public static func detect(_ keys: some Sequence<String>) -> WeightLayout? {
        let keys = Array(keys).map(VideoMAEKeyMapping.withoutWrapper)
        if keys.contains(where: { $0.hasPrefix("stem.") }), keys.contains(where: { $0.hasPrefix("layer1.") }) {
            return .torchvision
        }
        if keys.contains(where: { $0.hasPrefix("backbone.conv1.") }) { return .tadaconv }
        return switch VideoMAEKeyMapping.layout(of: keys) {
        case .huggingFace: .hf
        case .videoMAEFineTuning, .videoMAEPretraining: .videomae
        case nil: nil
        }
    }

    /// `stateDict`, in this layout, under Kinema's keys: the backbone's (and its classifier's, when
    /// the checkpoint has one; a VideoMAE pretraining checkpoint has none, and its decoder is left
    /// out). Throws, listing them, for keys that have no Kinema name.
    public func kinemaForm(_ stateDict: [String: Tensor]) throws(ModuleError) -> [String: Tensor] {
        switch self {
        case .torchvision:
            return VideoMAEKeyMapping.unwrapped(stateDict)
        case .tadaconv:
            var result: [String: Tensor] = [:]
            var clashes: [String] = []
            for (key, tensor) in VideoMAEKeyMapping.unwrapped(stateDict) {
                let name = key.hasPrefix(Self.mosiPretextHead)
                    ? Self.resNet3DHead + key.dropFirst(Self.mosiPretextHead.count) : key
                if result.updateValue(tensor, forKey: name) != nil { clashes.append(name) }
            }
            guard clashes.isEmpty else {
                throw ModuleError(
                    .invalidConfiguration, path: "",
                    "TAdaConv checkpoint: it holds both MoSI's pretext head (head.out_joint) and a classifier (head.out), "
                        + "which are one head in Kinema: \(clashes.sorted().joined(separator: ", ")); remove one of them")
            }
            return result
        case .videomae, .hf:
            return try VideoMAEKeyMapping.videoMAEForm(stateDict).encoder
        }
    }

    /// A Kinema state dict (a backbone's, or a VideoMAE run's masked autoencoder) under this
    /// layout's keys. torchvision, TAdaConv and VideoMAE use Kinema's own names, so only `hf`
    /// renames, to the names of the pinned transformers 5 (Tools/fixtures/requirements.txt), which
    /// its `load_state_dict(strict=True)` takes.
    public func exported(_ stateDict: [String: Tensor]) throws(ModuleError) -> [String: Tensor] {
        self == .hf ? try VideoMAEKeyMapping.huggingFaceForm(stateDict, transformers5Names: true) : stateDict
    }

    /// TAdaConv's `MoSIHeadJoint` classifier (MoSI's pretext head over the joint speed classes) and
    /// ``ResNet3D``'s `head.out`: the same Linear on the pooled features, and Kinema's MoSI label
    /// order is the official one (docs/reference-implementations.md §1.2), so the rows line up.
    static let mosiPretextHead = "head.out_joint."
    static let resNet3DHead = "head.out."
}
