import KinemaNN

/// Every backbone Kinema can build, by the name configs and the CLI use (`--model r2plus1d_10`).
///
/// ```swift
/// let model = try ModelName.r3d18.make(store.root, classes: 101)   // torchvision R3D-18, 101-way head
/// ModelName.r2d3d18.spec.parameterCount                            // 14_083_493
/// ```
///
/// The `_tiny` CNNs have the same structure at width 8 with a 10-way head: they train on a CPU
/// in seconds (tests, demos, end-to-end runs on toy data). `vit_s_16_tiny` is the ViT layout with 4
/// blocks of width 192 on 8×64×64 clips.
public enum ModelName: String, CaseIterable, Sendable, CustomStringConvertible {
    case r3d18 = "r3d_18"
    /// (Underscored so that the depth does not read as part of a number.)
    case mc3_18 = "mc3_18"
    case r2plus1d18 = "r2plus1d_18"
    case r2plus1d10 = "r2plus1d_10"
    case r2d3d18 = "r2d3d_18"
    case r3d18Tiny = "r3d_18_tiny"
    case mc3_18Tiny = "mc3_18_tiny"
    case r2plus1d18Tiny = "r2plus1d_18_tiny"
    case r2plus1d10Tiny = "r2plus1d_10_tiny"
    case r2d3d18Tiny = "r2d3d_18_tiny"
    case vitS16 = "vit_s_16"
    case vitB16 = "vit_b_16"
    case vitL16 = "vit_l_16"
    case vitS16Tiny = "vit_s_16_tiny"

    public var description: String { rawValue }

    /// The model called `name` (as in configs and `--model`); an unknown name is an error that
    /// lists the known ones.
    public init(validating name: String) throws(ModuleError) {
        guard let model = ModelName(rawValue: name) else {
            let known = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw ModuleError(.invalidConfiguration, path: "", "unknown model '\(name)'; known models: \(known)")
        }
        self = model
    }

    /// What the name builds by default, and its size.
    public var spec: ModelSpec {
        let full = ClipShape(frames: 16, height: 112, width: 112)
        let tiny = ClipShape(frames: 4, height: 32, width: 32)
        let vitClip = ClipShape(frames: 16, height: 224, width: 224)
        let vitTinyClip = ClipShape(frames: 8, height: 64, width: 64)
        // Parameter counts: torchvision's constructors (400 classes) and the official MoSI layout
        // (101 classes, docs/reference-implementations.md §2.2–2.3: 14.42 M and 14.08 M), as computed by
        // Tools/fixtures/gen_models.py and checked against the built models by the tests.
        return switch self {
        case .r3d18:
            ModelSpec(.videoResNet(.r3d18), width: 64, classes: 400, clip: full, parameterCount: 33_371_472,
                summary: "R3D-18 (torchvision): 3-D convolutions throughout")
        case .mc3_18:
            ModelSpec(.videoResNet(.mc3_18), width: 64, classes: 400, clip: full, parameterCount: 11_695_440,
                summary: "MC3-18 (torchvision): 3-D convolutions in layer1, 2-D in layers 2-4")
        case .r2plus1d18:
            ModelSpec(.videoResNet(.r2plus1d18), width: 64, classes: 400, clip: full, parameterCount: 31_505_325,
                summary: "R(2+1)D-18 (torchvision): factorised spatial + temporal convolutions")
        case .r2plus1d10:
            ModelSpec(.resNet3D(.r2plus1d, depth: 10), width: 64, classes: 101, clip: full,
                parameterCount: 14_417_290, summary: "R(2+1)D-10 (MoSI, TAdaConv layout)")
        case .r2d3d18:
            ModelSpec(.resNet3D(.r2d3d, depth: 18), width: 64, classes: 101, clip: full,
                parameterCount: 14_083_493, summary: "R-2D3D-18 (MoSI/DPC, TAdaConv layout): 2-D early, 3-D late")
        case .r3d18Tiny:
            ModelSpec(.videoResNet(.r3d18), width: 8, classes: 10, clip: tiny, parameterCount: 523_010,
                summary: "R3D-18 at width 8, for CPU tests and demos")
        case .mc3_18Tiny:
            ModelSpec(.videoResNet(.mc3_18), width: 8, classes: 10, clip: tiny, parameterCount: 184_322,
                summary: "MC3-18 at width 8, for CPU tests and demos")
        case .r2plus1d18Tiny:
            ModelSpec(.videoResNet(.r2plus1d18), width: 8, classes: 10, clip: tiny, parameterCount: 492_395,
                summary: "R(2+1)D-18 at width 8, for CPU tests and demos")
        case .r2plus1d10Tiny:
            ModelSpec(.resNet3D(.r2plus1d, depth: 10), width: 8, classes: 10, clip: tiny, parameterCount: 229_342,
                summary: "R(2+1)D-10 at width 8, for CPU tests and demos")
        case .r2d3d18Tiny:
            ModelSpec(.resNet3D(.r2d3d, depth: 18), width: 8, classes: 10, clip: tiny, parameterCount: 221_778,
                summary: "R-2D3D-18 at width 8, for CPU tests and demos")
        // VideoMAE's ViTs (docs/reference-implementations.md §3.6), 400 classes as its Kinetics-400
        // models; counts from transformers' VideoMAEForVideoClassification (Tools/fixtures/gen_vit.py).
        case .vitS16:
            ModelSpec(.visionTransformer(depth: 12), width: 384, classes: 400, clip: vitClip, parameterCount: 22_033_936,
                summary: "ViT-S/16 (VideoMAE): 2×16×16 tubes, 12 blocks of width 384")
        case .vitB16:
            ModelSpec(.visionTransformer(depth: 12), width: 768, classes: 400, clip: vitClip, parameterCount: 86_534_800,
                summary: "ViT-B/16 (VideoMAE, MME): 2×16×16 tubes, 12 blocks of width 768")
        case .vitL16:
            ModelSpec(.visionTransformer(depth: 24), width: 1024, classes: 400, clip: vitClip, parameterCount: 304_270_736,
                summary: "ViT-L/16 (VideoMAE): 2×16×16 tubes, 24 blocks of width 1024")
        case .vitS16Tiny:
            ModelSpec(.visionTransformer(depth: 4), width: 192, classes: 10, clip: vitTinyClip, parameterCount: 2_076_106,
                summary: "ViT-S/16 layout with 4 blocks of width 192, for CPU tests and demos")
        }
    }

    /// Why the model cannot take clips of `shape` (a ViT cuts them into whole 2×16×16 tubes), or
    /// nil when it can; configs check it before anything runs.
    public func problem(with shape: ClipShape) -> String? {
        vitConfiguration()?.problem(with: shape)
    }

    /// The configuration a registered ViT is built with at `width` (the spec's by default); nil
    /// for the CNNs. Loaders compare a checkpoint's shapes with it before building anything.
    public func vitConfiguration(width: Int? = nil) -> VisionTransformerConfiguration? {
        guard case .visionTransformer(let depth) = spec.architecture else { return nil }
        return ModelSpec.vitConfiguration(width: width ?? spec.width, depth: depth)
    }

    /// Whether the name builds a ``VisionTransformer``.
    public var isVisionTransformer: Bool { vitConfiguration() != nil }

    /// Builds the backbone under `path` with `classes` outputs (the spec's by default) at `width`
    /// (the spec's by default: any other width builds the same structure, scaled).
    ///
    /// `dropPath`, `headInitScale` and `checkpointBlocks` set a ViT's
    /// ``VisionTransformerConfiguration/dropPath``, ``VisionTransformerConfiguration/headInitScale``
    /// (VideoMAE's fine-tuning passes 0.1 and 0.001) and
    /// ``VisionTransformerConfiguration/checkpointBlocks``; the CNNs have none of them, and refuse
    /// other values than the defaults.
    public func make(
        _ path: ParameterPath, classes: Int? = nil, width: Int? = nil, dropPath: Double = 0, headInitScale: Double = 1,
        checkpointBlocks: Bool = false
    ) throws(ModuleError) -> any Backbone {
        let spec = spec
        let classes = classes ?? spec.classes
        let width = width ?? spec.width
        guard isVisionTransformer || (dropPath == 0 && headInitScale == 1 && !checkpointBlocks) else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "\(rawValue) is not a vision transformer: drop path, the head's init scale and checkpointed blocks apply to ViTs only")
        }
        switch spec.architecture {
        case .videoResNet(let variant):
            return try VideoResNet(path, variant: variant, classes: classes, width: width)
        case .resNet3D(let variant, let depth):
            return try ResNet3D(path, variant: variant, depth: depth, classes: classes, width: width)
        case .visionTransformer(let depth):
            var configuration = ModelSpec.vitConfiguration(width: width, depth: depth)
            configuration.dropPath = dropPath
            configuration.headInitScale = headInitScale
            configuration.checkpointBlocks = checkpointBlocks
            return try VisionTransformer(path, configuration, classes: classes)
        }
    }
}

/// A registered backbone's defaults: its architecture, size, head and input clip.
public struct ModelSpec: Sendable, Hashable {
    /// The family and its structural choice.
    public enum Architecture: Sendable, Hashable {
        /// torchvision's layout (``VideoResNet``).
        case videoResNet(VideoResNet.Variant)
        /// TAdaConv's layout as MoSI uses it (``ResNet3D``).
        case resNet3D(ResNet3D.Variant, depth: Int)
        /// VideoMAE's video ViT (``VisionTransformer``) with 2×16×16 tubes; the width is the token
        /// width.
        case visionTransformer(depth: Int)
    }

    /// A registered ViT's configuration at `width`: 64 channels a head when the width divides by
    /// 64 (every VideoMAE size), one head otherwise (the narrow models of tests).
    static func vitConfiguration(width: Int, depth: Int) -> VisionTransformerConfiguration {
        VisionTransformerConfiguration(dimension: width, depth: depth, heads: width % 64 == 0 ? width / 64 : 1)
    }

    public let architecture: Architecture
    /// Channels of the stem (64 at full size); a ViT's token width.
    public let width: Int
    /// Outputs of the default head.
    public let classes: Int
    /// The clip the model is meant for.
    public let clip: ClipShape
    /// Parameters of the model at ``width`` with ``classes`` outputs.
    public let parameterCount: Int
    /// One line for `kinema list-models`.
    public let summary: String

    init(
        _ architecture: Architecture, width: Int, classes: Int, clip: ClipShape, parameterCount: Int, summary: String
    ) {
        self.architecture = architecture
        self.width = width
        self.classes = classes
        self.clip = clip
        self.parameterCount = parameterCount
        self.summary = summary
    }
}

/// The frames and frame size of an RGB input clip.
public struct ClipShape: Sendable, Hashable, CustomStringConvertible {
    public var frames: Int
    public var height: Int
    public var width: Int

    public init(frames: Int, height: Int, width: Int) {
        self.frames = frames
        self.height = height
        self.width = width
    }

    /// `[batch, 3, frames, height, width]`.
    public func inputShape(batch: Int) -> [Int] { [batch, 3, frames, height, width] }

    /// "16x112x112".
    public var description: String { "\(frames)x\(height)x\(width)" }
}
