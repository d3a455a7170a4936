import KinemaNN

/// CGM-Net's light-weight action CNN (Tian et al., ECCV 2020, §3.4, Table 8): classifies a clip
/// from its high-resolution motion maps `[N, T, k̂², H, W]` with "six convolution layers and one
/// fully-connected layer"; its scores are fused with the backbone's at test time.
///
/// The paper gives no sizes; Kinema's choice treats the `k̂²` taps as input channels of 3-D
/// convolutions over `T×H×W`:
///
/// ```
/// layers.0 … layers.5: Conv3d 3×3×3 (bias-free, padding 1) ─ BatchNorm3d ─ ReLU
///   channels  w,       w,   2w,      2w,  4w,      4w           (w = width, 64 by default)
///   stride    1×2×2,   1,   2×2×2,   1,   2×2×2,   1
/// global average pool ─ fc (4w → classes)
/// ```
/// At width 64 with `k̂ = 9` that is 3.6 M parameters; a 16×112×112 input is reduced to 4×14×14
/// before pooling. Initialisation: torchvision's video ResNets' (Kaiming-normal fan-out
/// convolutions, N(0, 0.01) classifier with zero bias).
public final class ActionCNN: Module {
    public let path: ParameterPath
    let layers: [Sequential]
    let fc: Linear

    public init(_ path: ParameterPath, taps: Int, classes: Int, width: Int = 64) throws(ModuleError) {
        guard taps > 0, classes > 0, width > 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "the action CNN needs positive taps, classes and width, got \(taps), \(classes), \(width)")
        }
        self.path = path
        let channels = [width, width, 2 * width, 2 * width, 4 * width, 4 * width]
        let strides: [[Int]] = [[1, 2, 2], [1, 1, 1], [2, 2, 2], [1, 1, 1], [2, 2, 2], [1, 1, 1]]
        var layers: [Sequential] = []
        var inputs = taps
        for (i, (outputs, stride)) in zip(channels, strides).enumerated() {
            let layer = path / "layers" / i
            layers.append(try Sequential(layer, [
                try Conv3d(
                    layer / 0, inChannels: inputs, outChannels: outputs, kernelSize: 3, stride: SpatialSize(stride),
                    padding: 1, bias: false),
                try BatchNorm3d(layer / 1, features: outputs), Activation.relu,
            ]))
            inputs = outputs
        }
        self.layers = layers
        fc = try Linear(path / "fc", inFeatures: inputs, outFeatures: classes)
        for (_, weight) in namedParameters() where weight.rank == 5 {
            Init.kaimingNormal(weight, mode: .fanOut, nonlinearity: .relu, generator: path.store.generator)
        }
        Init.normal(fc.weight, mean: 0, std: 0.01, generator: path.store.generator)
        if let bias = fc.bias { Init.constant(bias, 0) }
    }

    /// Logits `[N, classes]` of the maps `[N, T, k̂², H, W]` (``CGMNetOutput/highResolutionMaps``).
    public func callAsFunction(_ maps: Tensor, mode: Mode) -> Tensor {
        precondition(maps.rank == 5, "the action CNN takes maps [N, T, k̂², H, W], got \(maps.summary)")
        let x = layers.reduce(maps.transposed(1, 2)) { y, layer in layer(y, mode: mode) }
        return fc(x.adaptiveAvgPool3d(outputSize: 1).flattened(from: 1))
    }
}
