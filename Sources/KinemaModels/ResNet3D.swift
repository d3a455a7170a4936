// MoSI's backbones, R(2+1)D-10 and R-2D3D-18 (Huang et al., "Self-supervised Motion Learning from
// Static Images", CVPR 2021, §4 "Datasets and backbone"), in the layout of the official code:
// alibaba-mmai-research/TAdaConv, `ResNet3D` meta-architecture (tadaconv/models/base/backbone.py,
// base_blocks.py), stems R2Plus1DStem / DownSampleStem, branches R2Plus1DBranch / R2D3DBranch, head
// BaseHead, configured by configs/pool/backbone/r2p1d.yaml and r2d3ds.yaml. Facts as collected in
// docs/reference-implementations.md §2.1–2.3; no code was copied.
//
// State-dict names are the official ones, so a TAdaConv checkpoint's `model_state` (as safetensors)
// loads without renaming: `backbone.conv1.a1.weight`, `backbone.conv3.res_1.short_cut_bn.bias`,
// `backbone.conv2.res_1.conv_branch.b2.weight`, `head.out.weight` (the MoSI pretext head
// `head.out_joint.*` is a separate head: load such a checkpoint with `strict: false`).
//
// Deviations: a `width` knob scales every stage's channels by width/64 and a `depth` knob picks the
// blocks per stage (10: 1-1-1-1, 18: 2-2-2-2, 34: 3-4-6-3, the official table's simple-block
// depths), for tiny CPU variants; the official head's eval-mode softmax is left out (this returns
// logits in both modes). Initialisation is PyTorch's default, as in the official configs
// (`VIDEO.BACKBONE.INITIALIZATION` unset).
import KinemaNN

/// TAdaConv's `ResNet3D` video ResNet as MoSI uses it: `[N, 3, T, H, W]` → `[N, classes]`.
///
/// ```
/// conv1 (stem) ─ conv2 ─ conv3 ─ conv4 ─ conv5 ─ global average pool ─ (dropout) ─ head.out
/// ```
/// Each residual block is `relu(shortcut(x) + b(relu(a(x))))` with a 1×1×1 projection shortcut
/// (`short_cut`, `short_cut_bn`) where the shape changes; `a` and `b` are convolution–BN units, each
/// factorised into a spatial and a temporal convolution in R(2+1)D. On a 16×112×112 clip the last
/// feature map is `[N, 512, 2, 7, 7]` (R(2+1)D) or `[N, 256, 4, 4, 4]` (R-2D3D).
public final class ResNet3D: Backbone {
    /// The two MoSI backbones (MoSI §4; docs/reference-implementations.md §2.2–2.3).
    public enum Variant: String, Sendable, CaseIterable {
        /// R(2+1)D (Tran et al. 2018): every 3×3×3 convolution factorised into 1×3×3 then 3×1×1
        /// (with the mid-channels that keep the 3-D convolution's parameter count), the 3×7×7 stem
        /// factorised the same way, filters 64-64-128-256-512, conv3–conv5 downsample time and
        /// space. No max-pool.
        case r2plus1d
        /// R-2D3D (as in DPC): stem 1×7×7 + max-pool, 2-D (1×3×3) convolutions in conv2–conv3 and
        /// 3-D (3×3×3) in conv4–conv5, filters 64-64-128-256-256, conv3 downsamples space only.
        case r2d3d

        /// Channels of conv1 … conv5 at width 64.
        var filters: [Int] {
            switch self {
            case .r2plus1d: [64, 64, 128, 256, 512]
            case .r2d3d: [64, 64, 128, 256, 256]
            }
        }

        /// Stem convolution kernel.
        var stemKernel: [Int] { self == .r2plus1d ? [3, 7, 7] : [1, 7, 7] }

        /// Kernels of conv2 … conv5.
        var stageKernels: [[Int]] {
            switch self {
            case .r2plus1d: Array(repeating: [3, 3, 3], count: 4)
            case .r2d3d: [[1, 3, 3], [1, 3, 3], [3, 3, 3], [3, 3, 3]]
            }
        }

        /// Strides of the first block of conv2 … conv5 (`DOWNSAMPLING`, `DOWNSAMPLING_TEMPORAL`).
        var stageStrides: [[Int]] {
            switch self {
            case .r2plus1d: [[1, 1, 1], [2, 2, 2], [2, 2, 2], [2, 2, 2]]
            case .r2d3d: [[1, 1, 1], [1, 2, 2], [2, 2, 2], [2, 2, 2]]
            }
        }

        /// A convolution–BN unit named `name` under `path`: plain (R-2D3D) or (2+1)D (R(2+1)D).
        func unit(
            _ path: ParameterPath, _ name: String, _ inChannels: Int, _ outChannels: Int, kernel: [Int],
            stride: [Int], eps: Double
        ) throws(ModuleError) -> any Layer {
            switch self {
            case .r2plus1d:
                try FactorisedConvNorm(path, name, inChannels, outChannels, kernel: kernel, stride: stride, eps: eps)
            case .r2d3d:
                try ConvNorm(path, name, inChannels, outChannels, kernel: kernel, stride: stride, eps: eps)
            }
        }
    }

    /// Blocks per stage for the supported depths (TAdaConv's `_n_conv_resnet`, simple blocks).
    public static let blocksPerStage: [Int: [Int]] = [10: [1, 1, 1, 1], 18: [2, 2, 2, 2], 34: [3, 4, 6, 3]]

    public let path: ParameterPath
    public let variant: Variant
    public let depth: Int
    /// Channels of conv1 (64 officially); every stage scales by width/64.
    public let width: Int
    let stem: any Layer
    /// conv2 … conv5.
    let residualStages: [[ResidualBlock]]
    let dropout: Dropout
    /// The classifier (`head.out`); replace it with ``resetHead(classes:)``.
    public private(set) var head: Linear

    /// Builds the backbone: the body under `path / "backbone"`, the classifier at
    /// `path / "head" / "out"`.
    ///
    /// - Parameters:
    ///   - depth: 10 (R(2+1)D-10 in MoSI), 18 (R-2D3D-18 in MoSI) or 34.
    ///   - dropout: before the classifier in training mode (0 in the backbone configs, 0.5 in
    ///     MoSI's pretraining and fine-tuning runs).
    ///   - batchNormEps: 1e-3 in every MoSI run config (PyTorch's default is 1e-5).
    public init(
        _ path: ParameterPath, variant: Variant, depth: Int, classes: Int = 101, width: Int = 64,
        dropout: Double = 0, batchNormEps: Double = 1e-3
    ) throws(ModuleError) {
        let name = "ResNet3D \(variant.rawValue)-\(depth)"
        try checkSizes(path, name, width: width, classes: classes)
        guard let blocks = Self.blocksPerStage[depth] else {
            let depths = Self.blocksPerStage.keys.sorted().map(String.init).joined(separator: ", ")
            throw ModuleError(.invalidConfiguration, path: path.name, "\(name): depth must be one of \(depths)")
        }
        self.path = path
        self.variant = variant
        self.depth = depth
        self.width = width
        self.dropout = try Dropout(p: dropout)
        let filters = variant.filters.map { $0 * width / 64 }
        let backbone = path / "backbone"
        let stemUnit = try variant.unit(
            backbone / "conv1", "a", 3, filters[0], kernel: variant.stemKernel, stride: [1, 2, 2], eps: batchNormEps)
        stem = Stem(unit: stemUnit, maxPool: variant == .r2d3d)
        var stages: [[ResidualBlock]] = []
        for s in 0..<4 {
            let stage = backbone / "conv\(s + 2)"
            var stageBlocks: [ResidualBlock] = []
            for b in 0..<blocks[s] {
                stageBlocks.append(try ResidualBlock(
                    stage / "res_\(b + 1)", variant: variant, b == 0 ? filters[s] : filters[s + 1], filters[s + 1],
                    kernel: variant.stageKernels[s], stride: b == 0 ? variant.stageStrides[s] : [1, 1, 1],
                    eps: batchNormEps))
            }
            stages.append(stageBlocks)
        }
        residualStages = stages
        head = try Linear(path / "head" / "out", inFeatures: filters[4], outFeatures: classes)
    }

    public var featureDimension: Int { head.inFeatures }

    /// `backbone.conv1` (the stem) … `backbone.conv5`.
    public var stages: [ParameterPath] { (1...5).map { path / "backbone" / "conv\($0)" } }

    public func featureMap(_ input: Tensor, mode: Mode) -> Tensor {
        residualStages.joined().reduce(stem(input, mode: mode)) { x, block in block(x, mode: mode) }
    }

    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        head(dropout(features(input, mode: mode), mode: mode))
    }

    public func resetHead(classes: Int) throws(ModuleError) {
        try checkSizes(path, "ResNet3D \(variant.rawValue)-\(depth)", width: width, classes: classes)
        path.store.removeAll(under: head.path)
        head = try Linear(head.path, inFeatures: featureDimension, outFeatures: classes)
    }
}

/// The stem `conv1`: `relu(a(x))`, then R-2D3D's `DownSampleStem` max-pools 1×3×3 with stride
/// (1, 2, 2).
struct Stem: Layer {
    let unit: any Layer
    let maxPool: Bool

    func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        let x = unit(input, mode: mode).relu()
        return maxPool ? x.maxPool3d(kernelSize: [1, 3, 3], stride: [1, 2, 2], padding: [0, 1, 1]) : x
    }
}

/// `Base3DBlock`: `relu(shortcut(x) + b(relu(a(x))))`, the branch `a`, `b` under `conv_branch`, and
/// a 1×1×1 projection `short_cut` + `short_cut_bn` when the channels change or the block strides.
final class ResidualBlock: Layer, Module {
    let path: ParameterPath
    let shortcut: ConvNorm?
    let a: any Layer
    let b: any Layer

    init(
        _ path: ParameterPath, variant: ResNet3D.Variant, _ inChannels: Int, _ outChannels: Int, kernel: [Int],
        stride: [Int], eps: Double
    ) throws(ModuleError) {
        self.path = path
        shortcut = inChannels != outChannels || stride != [1, 1, 1]
            ? try ConvNorm(path, "short_cut", inChannels, outChannels, kernel: [1, 1, 1], stride: stride, eps: eps)
            : nil
        let branch = path / "conv_branch"
        a = try variant.unit(branch, "a", inChannels, outChannels, kernel: kernel, stride: stride, eps: eps)
        b = try variant.unit(branch, "b", outChannels, outChannels, kernel: kernel, stride: [1, 1, 1], eps: eps)
    }

    func callAsFunction(_ x: Tensor, mode: Mode) -> Tensor {
        let residual = shortcut?(x, mode: mode) ?? x
        return (b(a(x, mode: mode).relu(), mode: mode) + residual).relu()
    }
}

/// A convolution `<name>` and its BatchNorm `<name>_bn` (TAdaConv's naming), without activation.
struct ConvNorm: Layer {
    let conv: Conv3d
    let norm: BatchNorm3d

    init(
        _ path: ParameterPath, _ name: String, _ inChannels: Int, _ outChannels: Int, kernel: [Int], stride: [Int],
        eps: Double
    ) throws(ModuleError) {
        conv = try resNetConvolution(path / name, inChannels, outChannels, kernel: kernel, stride: stride)
        norm = try BatchNorm3d(path / "\(name)_bn", features: outChannels, eps: eps)
    }

    func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor { norm(conv(input), mode: mode) }
}

/// A `k_t×k_h×k_w` convolution–BN unit factorised as R(2+1)D does: `<name>1` (1×k_h×k_w, spatial
/// stride) + `<name>1_bn` + ReLU, then `<name>2` (k_t×1×1, temporal stride) + `<name>2_bn`.
struct FactorisedConvNorm: Layer {
    let spatial: ConvNorm
    let temporal: ConvNorm

    init(
        _ path: ParameterPath, _ name: String, _ inChannels: Int, _ outChannels: Int, kernel: [Int], stride: [Int],
        eps: Double
    ) throws(ModuleError) {
        let mid = factorisedChannels(kernel: kernel, inChannels, outChannels)
        spatial = try ConvNorm(
            path, "\(name)1", inChannels, mid, kernel: [1, kernel[1], kernel[2]], stride: [1, stride[1], stride[2]],
            eps: eps)
        temporal = try ConvNorm(
            path, "\(name)2", mid, outChannels, kernel: [kernel[0], 1, 1], stride: [stride[0], 1, 1], eps: eps)
    }

    func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        temporal(spatial(input, mode: mode).relu(), mode: mode)
    }
}
