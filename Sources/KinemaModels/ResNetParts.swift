import KinemaNN

// Pieces shared by the torchvision-layout (VideoResNet) and the TAdaConv-layout (ResNet3D) video
// ResNets.

/// A bias-free 3-D convolution padded by `kernel / 2` on each side (so stride 1 keeps the size):
/// every convolution of both ResNet families is of this kind.
func resNetConvolution(
    _ path: ParameterPath, _ inChannels: Int, _ outChannels: Int, kernel: [Int], stride: [Int] = [1, 1, 1]
) throws(ModuleError) -> Conv3d {
    try Conv3d(
        path, inChannels: inChannels, outChannels: outChannels, kernelSize: SpatialSize(kernel),
        stride: SpatialSize(stride), padding: .explicit(SpatialSize(kernel.map { $0 / 2 })), bias: false)
}

/// The channels `M` between the spatial `1×k_h×k_w` and the temporal `k_t×1×1` convolution of a
/// (2+1)D factorisation of a `k_t×k_h×k_w` convolution from `C_in` to `C_out` channels, chosen so
/// that both have about the parameters of the full 3-D one (Tran et al. 2018, §3.5):
/// `M = ⌊k_t·k_h·k_w·C_in·C_out / (k_h·k_w·C_in + k_t·C_out)⌋`.
func factorisedChannels(kernel: [Int], _ inChannels: Int, _ outChannels: Int) -> Int {
    let (t, h, w) = (kernel[0], kernel[1], kernel[2])
    return t * h * w * inChannels * outChannels / (h * w * inChannels + t * outChannels)
}

/// Checks the size knobs every backbone takes.
func checkSizes(_ path: ParameterPath, _ model: String, width: Int, classes: Int) throws(ModuleError) {
    guard width > 0, classes > 0 else {
        throw ModuleError(
            .invalidConfiguration, path: path.name,
            "\(model) needs a positive width and class count, got width \(width), \(classes) classes")
    }
}
