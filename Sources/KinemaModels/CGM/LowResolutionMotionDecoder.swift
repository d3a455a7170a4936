import KinemaNN

/// CGM-Net's LR motion decoder (Tian et al., ECCV 2020, §3.3): the backbone's feature map
/// `[N, C_b, T', H', W']` to the motion features `F_motion` `[N, C_m, T, h, w]` and the raw
/// low-resolution maps `[N, k², T, h, w]`, one map per input frame.
///
/// The paper replaces every deconvolution "with a bilinear upsample operation followed by a
/// convolution operation with the kernel size of 3 and the stride of 1" (after Wojna et al.); in
/// 3-D each block `blocks.{i}` is a trilinear ×2 upsampling (`align_corners=False`) of the
/// dimensions that still need it, a bias-free 3×3×3 convolution (padding 1), BatchNorm and ReLU
/// (Kinema's choice of normalisation and activation, which the paper does not state). A 1×1×1
/// convolution with bias, `maps`, then gives the `k²` taps.
public final class LowResolutionMotionDecoder: Module {
    public let path: ParameterPath
    let blocks: [Sequential]
    let upsampling: [(time: Int, space: Int)]
    let maps: Conv3d

    /// `channels[i]` outputs for block `i`, which upsamples time and space by `upsampling[i]`.
    public init(
        _ path: ParameterPath, inChannels: Int, channels: [Int], upsampling: [(time: Int, space: Int)], taps: Int
    ) throws(ModuleError) {
        guard channels.count == upsampling.count else {
            throw ModuleError(
                .invalidConfiguration, path: path.name,
                "the decoder needs one channel count per block: \(channels.count) for \(upsampling.count) blocks")
        }
        self.path = path
        self.upsampling = upsampling
        var blocks: [Sequential] = []
        var inputs = inChannels
        for (i, outputs) in channels.enumerated() {
            let block = path / "blocks" / i
            blocks.append(try Sequential(block, [
                try Conv3d(block / 0, inChannels: inputs, outChannels: outputs, kernelSize: 3, padding: 1, bias: false),
                try BatchNorm3d(block / 1, features: outputs), Activation.relu,
            ]))
            inputs = outputs
        }
        self.blocks = blocks
        maps = try Conv3d(path / "maps", inChannels: inputs, outChannels: taps, kernelSize: 1)
    }

    /// `(F_motion [N, C_m, T, h, w], raw maps [N, k², T, h, w])`.
    public func callAsFunction(_ features: Tensor, mode: Mode) -> (motion: Tensor, maps: Tensor) {
        let motion = zip(blocks, upsampling).reduce(features) { x, step in
            let (block, factor) = step
            let up = factor.time == 1 && factor.space == 1 ? x : x.interpolate(
                scaleFactors: [Double(factor.time), Double(factor.space), Double(factor.space)], mode: .trilinear,
                alignCorners: false)
            return block(up, mode: mode)
        }
        return (motion, maps(motion))
    }
}
