import KinemaData
import KinemaTensor
import KinemaVideo

/// How decoded clips become a model's input: normalised per channel (``ClipTensor``), moved to
/// the device, and laid out channels-last when the model is.
public struct ClipInput: Sendable {
    public var statistics: InputStatistics
    public var device: Device
    public var channelsLast: Bool

    public init(statistics: InputStatistics, device: Device = .cpu, channelsLast: Bool = false) {
        self.statistics = statistics
        self.device = device
        self.channelsLast = channelsLast
    }

    public init(normalization: InputNormalization, device: Device = .cpu, channelsLast: Bool = false) {
        self.init(statistics: InputStatistics(normalization), device: device, channelsLast: channelsLast)
    }

    /// `clips[n][t]` → `[N, 3, T, H, W]` on ``device``; `threads` convert the bytes.
    public func tensor(_ clips: [[Image]], threads: Int = 1) throws -> Tensor {
        let x = try ClipTensor.batch(clips, statistics, threads: threads).staged(to: device)
        return channelsLast ? x.contiguous(.channelsLast3d) : x
    }
}
