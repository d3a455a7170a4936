import KinemaNN

/// CGM-Net's context extractor (Tian et al., ECCV 2020, §3.3): a 2-D ResNet-18 (He et al. 2016)
/// up to `conv3_x` without the max-pool between `conv1` and `conv2_x`, applied to single frames:
/// `[N, 3, H, W]` → `[N, 2·width, H/4, W/4]` (128 channels at torchvision's width 64; `conv1` and
/// the first block of `layer2` have stride 2, so sides divisible by 4 divide exactly).
///
/// ```
/// conv1 (7×7, /2) ─ bn1 ─ relu ─ layer1 (2 BasicBlocks, width) ─ layer2 (2 BasicBlocks, 2·width, /2)
/// ```
/// The parameters have torchvision's `resnet18` names (`conv1.weight`, `bn1.running_mean`,
/// `layer1.0.conv1.weight`, `layer2.0.downsample.0.weight`, …), so the ImageNet weights load:
/// ``loadTorchvisionResNet18(_:)`` takes the whole torchvision state dict and loads the keys of
/// these layers strictly. Initialisation is torchvision's (Kaiming-normal fan-out convolutions,
/// unit/zero BatchNorm).
public final class ContextExtractor: Layer, Module {
    public let path: ParameterPath
    /// Channels of `conv1` and `layer1` (64 in ResNet-18); the output has twice as many.
    public let width: Int
    let conv1: Conv2d
    let bn1: BatchNorm2d
    /// `layer1` and `layer2`, two blocks each.
    let layers: [Sequential]

    public init(_ path: ParameterPath, width: Int = 64) throws(ModuleError) {
        guard width > 0 else {
            throw ModuleError(.invalidConfiguration, path: path.name, "the context extractor needs width > 0, got \(width)")
        }
        self.path = path
        self.width = width
        conv1 = try Conv2d(path / "conv1", inChannels: 3, outChannels: width, kernelSize: 7, stride: 2, padding: 3, bias: false)
        bn1 = try BatchNorm2d(path / "bn1", features: width)
        let l1 = path / "layer1", l2 = path / "layer2"
        layers = [
            try Sequential(l1, [
                try BasicBlock2d(l1 / 0, inplanes: width, planes: width, stride: 1),
                try BasicBlock2d(l1 / 1, inplanes: width, planes: width, stride: 1),
            ]),
            try Sequential(l2, [
                try BasicBlock2d(l2 / 0, inplanes: width, planes: 2 * width, stride: 2),
                try BasicBlock2d(l2 / 1, inplanes: 2 * width, planes: 2 * width, stride: 1),
            ]),
        ]
        for (_, weight) in namedParameters() where weight.rank == 4 {
            Init.kaimingNormal(weight, mode: .fanOut, nonlinearity: .relu, generator: path.store.generator)
        }
    }

    /// Output channels, `2·width`.
    public var outputChannels: Int { 2 * width }

    /// `[N, 3, H, W]` → `[N, 2·width, ⌈H/4⌉, ⌈W/4⌉]`.
    public func callAsFunction(_ frames: Tensor, mode: Mode) -> Tensor {
        let x = bn1(conv1(frames), mode: mode).relu()
        return layers.reduce(x) { y, layer in layer(y, mode: mode) }
    }

    /// The prefixes of torchvision's `resnet18` keys this extractor has.
    public static let torchvisionPrefixes = ["conv1.", "bn1.", "layer1.", "layer2."]

    /// Loads a torchvision `resnet18().state_dict()` (e.g. the ImageNet weights as safetensors):
    /// the keys under ``torchvisionPrefixes`` strictly (each must be there with its shape), the
    /// others (`layer3.*`, `layer4.*`, `fc.*`) ignored.
    @discardableResult
    public func loadTorchvisionResNet18(_ stateDict: [String: Tensor]) throws(StateDictError) -> StateDictReport {
        try loadStateDict(stateDict.filter { key, _ in Self.torchvisionPrefixes.contains { key.hasPrefix($0) } })
    }
}

/// torchvision's 2-D `BasicBlock`: `relu(bn2(conv2(relu(bn1(conv1(x))))) + downsample(x))`, 3×3
/// convolutions (the first strided), `downsample` a strided 1×1 convolution–BN where the shape
/// changes.
final class BasicBlock2d: Layer, Module {
    let path: ParameterPath
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let conv2: Conv2d
    let bn2: BatchNorm2d
    let downsample: Sequential?

    init(_ path: ParameterPath, inplanes: Int, planes: Int, stride: Int) throws(ModuleError) {
        self.path = path
        conv1 = try Conv2d(
            path / "conv1", inChannels: inplanes, outChannels: planes, kernelSize: 3, stride: SpatialSize(stride),
            padding: 1, bias: false)
        bn1 = try BatchNorm2d(path / "bn1", features: planes)
        conv2 = try Conv2d(path / "conv2", inChannels: planes, outChannels: planes, kernelSize: 3, padding: 1, bias: false)
        bn2 = try BatchNorm2d(path / "bn2", features: planes)
        if stride != 1 || inplanes != planes {
            let ds = path / "downsample"
            downsample = try Sequential(ds, [
                try Conv2d(
                    ds / 0, inChannels: inplanes, outChannels: planes, kernelSize: 1, stride: SpatialSize(stride),
                    bias: false),
                try BatchNorm2d(ds / 1, features: planes),
            ])
        } else {
            downsample = nil
        }
    }

    func callAsFunction(_ x: Tensor, mode: Mode) -> Tensor {
        let residual = downsample?(x, mode: mode) ?? x
        let y = bn2(conv2(bn1(conv1(x), mode: mode).relu()), mode: mode)
        return (y + residual).relu()
    }
}
