import KinemaData
import KinemaTensor
import KinemaVideo

/// How decoded clips become a model's input: normalised per channel (``ClipTensor``), moved to
/// the device, and laid out channels-last when the model is.
public struct ClipInput: Sendable {
    public var mean: [Float]
    public var std: [Float]
    public var device: Device
    public var channelsLast: Bool

    public init(mean: [Float], std: [Float], device: Device = .cpu, channelsLast: Bool = false) {
        self.mean = mean
        self.std = std
        self.device = device
        self.channelsLast = channelsLast
    }

    /// `clips[n][t]` → `[N, 3, T, H, W]` on ``device``; `threads` convert the bytes.
    public func tensor(_ clips: [[Image]], threads: Int = 1) throws -> Tensor {
        let x = try ClipTensor.batch(clips, mean: mean, std: std, threads: threads).to(device)
        return channelsLast ? x.contiguous(.channelsLast3d) : x
    }
}
