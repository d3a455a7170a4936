import KinemaNN

extension ModelName {
    /// How far the backbone's ``Backbone/featureMap(_:mode:)`` is downsampled from its input clip:
    /// a `T×H×W` clip whose sides divide by these gives a `T/time × H/space × W/space` map. From the
    /// architectures' strides (stems, strided stages, the R-2D3D max-pool, the ViT's 2×16×16 tubes);
    /// tests check them against every registered model's actual output.
    public var featureStride: (time: Int, space: Int) {
        switch spec.architecture {
        case .videoResNet(.mc3_18): (1, 16)
        case .videoResNet: (8, 16)
        case .resNet3D(.r2plus1d, _): (8, 16)
        case .resNet3D(.r2d3d, _): (4, 32)
        case .visionTransformer: (2, 16)
        }
    }
}
