// Video ResNets with torchvision's exact structure and state-dict names: R3D-18, MC3-18 and
// R(2+1)D-18 of Tran et al., "A Closer Look at Spatiotemporal Convolutions for Action Recognition"
// (CVPR 2018), as torchvision/models/video/resnet.py (torchvision 0.26.0) builds them. A
// `torchvision.models.video.r2plus1d_18().state_dict()` saved as safetensors loads strictly into
// `VideoResNet(variant: .r2plus1d18)` and gives torchvision's outputs (Tests/KinemaModelsTests,
// fixtures from Tools/fixtures/gen_models.py).
//
// Deviation: a `width` knob (64 in torchvision) scales every stage for tiny CPU variants; the
// R(2+1)D stem's 45 mid-channels become 45·width/64. At width 64 the models are torchvision's.
import KinemaNN

/// A torchvision video ResNet-18: `[N, 3, T, H, W]` → `[N, classes]`.
///
/// ```
/// stem ─ layer1 (w) ─ layer2 (2w, /2) ─ layer3 (4w, /2) ─ layer4 (8w, /2) ─ avgpool ─ fc
/// ```
/// Each layer has two `BasicBlock`s of two convolutions (kind per variant) with a residual
/// connection; strided layers downsample time and space (R3D, R(2+1)D) or space only (MC3's 2-D
/// layers 2–4). On a 16×112×112 clip the last feature map is `[N, 8w, 2, 7, 7]` (R3D, R(2+1)D)
/// or `[N, 8w, 16, 7, 7]` (MC3).
public final class VideoResNet: Backbone {
    /// The torchvision variants.
    public enum Variant: String, Sendable, CaseIterable {
        /// 3-D convolutions (3×3×3) everywhere.
        case r3d18 = "r3d_18"
        /// Mixed convolutions: 3-D in layer1, 2-D (1×3×3) in layers 2–4.
        case mc3_18 = "mc3_18"
        /// Every 3×3×3 convolution factorised into a 1×3×3 spatial and a 3×1×1 temporal one.
        case r2plus1d18 = "r2plus1d_18"
    }

    public let path: ParameterPath
    public let variant: Variant
    /// Channels of the stem and layer1 (64 in torchvision); layers 2–4 have 2×, 4×, 8× as many.
    public let width: Int
    let stem: Sequential
    /// `layer1` … `layer4`, two blocks each.
    let layers: [Sequential]
    /// The classifier; replace it with ``resetHead(classes:)``.
    public private(set) var fc: Linear

    /// Builds the backbone under `path` with torchvision's initialisation (Kaiming-normal fan-out
    /// convolutions, unit/zero BatchNorm, N(0, 0.01) classifier with zero bias).
    public init(_ path: ParameterPath, variant: Variant, classes: Int = 400, width: Int = 64) throws(ModuleError) {
        try checkSizes(path, "VideoResNet \(variant.rawValue)", width: width, classes: classes)
        if variant == .r2plus1d18, 45 * width / 64 == 0 {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "r2plus1d_18 needs width >= 2 (its stem has 45·width/64 channels)")
        }
        self.path = path
        self.variant = variant
        self.width = width
        stem = try Self.makeStem(path / "stem", variant: variant, width: width)
        var layers: [Sequential] = []
        var inplanes = width
        for (i, planes) in [width, 2 * width, 4 * width, 8 * width].enumerated() {
            // MC3: only layer1 uses 3-D convolutions.
            let builder: ConvBuilder = switch variant {
            case .r3d18: .simple
            case .mc3_18: i == 0 ? .simple : .noTemporal
            case .r2plus1d18: .twoPlusOne
            }
            let layer = path / "layer\(i + 1)"
            layers.append(try Sequential(layer, [
                try BasicBlock(layer / 0, inplanes: inplanes, planes: planes, builder: builder, stride: i == 0 ? 1 : 2),
                try BasicBlock(layer / 1, inplanes: planes, planes: planes, builder: builder, stride: 1),
            ]))
            inplanes = planes
        }
        self.layers = layers
        fc = try Self.makeClassifier(path / "fc", features: 8 * width, classes: classes)
        for (_, weight) in namedParameters() where weight.rank == 5 {
            Init.kaimingNormal(weight, mode: .fanOut, nonlinearity: .relu, generator: path.store.generator)
        }
    }

    public var featureDimension: Int { 8 * width }

    public var head: Linear { fc }

    /// `stem`, `layer1` … `layer4`.
    public var stages: [ParameterPath] { [stem.path] + layers.map(\.path) }

    public func featureMap(_ input: Tensor, mode: Mode) -> Tensor {
        layers.reduce(stem(input, mode: mode)) { x, layer in layer(x, mode: mode) }
    }

    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        fc(features(input, mode: mode))
    }

    public func resetHead(classes: Int) throws(ModuleError) {
        try checkSizes(path, "VideoResNet \(variant.rawValue)", width: width, classes: classes)
        path.store.removeAll(under: fc.path)
        fc = try Self.makeClassifier(fc.path, features: featureDimension, classes: classes)
    }

    private static func makeClassifier(_ path: ParameterPath, features: Int, classes: Int) throws(ModuleError)
        -> Linear
    {
        let fc = try Linear(path, inFeatures: features, outFeatures: classes)
        Init.normal(fc.weight, mean: 0, std: 0.01, generator: path.store.generator)
        if let bias = fc.bias { Init.constant(bias, 0) }
        return fc
    }

    private static func makeStem(_ path: ParameterPath, variant: Variant, width: Int) throws(ModuleError)
        -> Sequential
    {
        switch variant {
        case .r3d18, .mc3_18:
            // BasicStem: 3×7×7 convolution, stride (1, 2, 2).
            return try Sequential(path, [
                try resNetConvolution(path / 0, 3, width, kernel: [3, 7, 7], stride: [1, 2, 2]),
                try BatchNorm3d(path / 1, features: width), Activation.relu,
            ])
        case .r2plus1d18:
            // R2Plus1dStem: 1×7×7 to 45 channels (at width 64), then 3×1×1.
            let mid = 45 * width / 64
            return try Sequential(path, [
                try resNetConvolution(path / 0, 3, mid, kernel: [1, 7, 7], stride: [1, 2, 2]),
                try BatchNorm3d(path / 1, features: mid), Activation.relu,
                try resNetConvolution(path / 3, mid, width, kernel: [3, 1, 1]),
                try BatchNorm3d(path / 4, features: width), Activation.relu,
            ])
        }
    }
}

/// The convolution a `BasicBlock` uses (torchvision's `conv_makers`).
enum ConvBuilder {
    /// `Conv3DSimple`: 3×3×3, stride s in time and space.
    case simple
    /// `Conv3DNoTemporal`: 1×3×3, stride (1, s, s).
    case noTemporal
    /// `Conv2Plus1D`: an `nn.Sequential` of a 1×3×3 convolution to `midplanes` (stride (1, s, s)),
    /// BN, ReLU and a 3×1×1 convolution (stride (s, 1, 1)) — Tran et al. §3.5.
    case twoPlusOne

    func make(_ path: ParameterPath, _ inPlanes: Int, _ outPlanes: Int, midplanes: Int, stride: Int)
        throws(ModuleError) -> any Layer
    {
        switch self {
        case .simple:
            return try resNetConvolution(path, inPlanes, outPlanes, kernel: [3, 3, 3], stride: [stride, stride, stride])
        case .noTemporal:
            return try resNetConvolution(path, inPlanes, outPlanes, kernel: [1, 3, 3], stride: [1, stride, stride])
        case .twoPlusOne:
            return try Sequential(path, [
                try resNetConvolution(path / 0, inPlanes, midplanes, kernel: [1, 3, 3], stride: [1, stride, stride]),
                try BatchNorm3d(path / 1, features: midplanes), Activation.relu,
                try resNetConvolution(path / 3, midplanes, outPlanes, kernel: [3, 1, 1], stride: [stride, 1, 1]),
            ])
        }
    }

    /// The stride of the 1×1×1 projection shortcut (`get_downsample_stride`).
    func downsampleStride(_ stride: Int) -> [Int] {
        self == .noTemporal ? [1, stride, stride] : [stride, stride, stride]
    }
}

/// torchvision's `BasicBlock`: `relu(conv2(conv1(x)) + downsample(x))`, where `conv1` is
/// convolution–BN–ReLU, `conv2` convolution–BN, and `downsample` a strided 1×1×1 convolution–BN
/// when the shape changes (identity otherwise).
final class BasicBlock: Layer, Module {
    let path: ParameterPath
    let conv1: Sequential
    let conv2: Sequential
    let downsample: Sequential?

    init(_ path: ParameterPath, inplanes: Int, planes: Int, builder: ConvBuilder, stride: Int) throws(ModuleError) {
        self.path = path
        // torchvision computes the (2+1)D mid-planes once from (inplanes, planes) and reuses them
        // for conv2, whose input has `planes` channels.
        let midplanes = factorisedChannels(kernel: [3, 3, 3], inplanes, planes)
        let c1 = path / "conv1", c2 = path / "conv2"
        conv1 = try Sequential(c1, [
            try builder.make(c1 / 0, inplanes, planes, midplanes: midplanes, stride: stride),
            try BatchNorm3d(c1 / 1, features: planes), Activation.relu,
        ])
        conv2 = try Sequential(c2, [
            try builder.make(c2 / 0, planes, planes, midplanes: midplanes, stride: 1),
            try BatchNorm3d(c2 / 1, features: planes),
        ])
        if stride != 1 || inplanes != planes {
            let ds = path / "downsample"
            downsample = try Sequential(ds, [
                try resNetConvolution(
                    ds / 0, inplanes, planes, kernel: [1, 1, 1], stride: builder.downsampleStride(stride)),
                try BatchNorm3d(ds / 1, features: planes),
            ])
        } else {
            downsample = nil
        }
    }

    func callAsFunction(_ x: Tensor, mode: Mode) -> Tensor {
        let residual = downsample?(x, mode: mode) ?? x
        return (conv2(conv1(x, mode: mode), mode: mode) + residual).relu()
    }
}
