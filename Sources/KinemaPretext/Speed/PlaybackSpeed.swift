// Playback-speed prediction: a clip is sampled from a video at one of several frame strides and the
// network classifies the stride (SpeedNet, Benaim et al., CVPR 2020; "playback rate prediction",
// Yao et al., CVPR 2020). Appearance is the same at every speed, so only motion tells them apart —
// a small real self-supervised task on real video, used by `make demo` until MoSI (issue 4).
import KinemaVideo

/// What one training clip is: where it starts, at which speed class, and how it is cropped/flipped.
public struct PlaybackSpeedSample: Sendable, Equatable {
    public let start: Int
    public let speedClass: Int
    public let cropX: Int
    public let cropY: Int
    public let flip: Bool
}

/// Draws ``PlaybackSpeedSample``s (the random part); ``PlaybackSpeedRenderer`` cuts the clip
/// (the deterministic part), so the rendering is testable exactly.
public struct PlaybackSpeedSampler: Sendable {
    /// Frame strides, one class each (e.g. [1, 2, 4]: normal, double, quadruple speed).
    public let strides: [Int]
    public let clipLength: Int
    public let cropSize: Int

    public init(strides: [Int] = [1, 2, 4], clipLength: Int = 8, cropSize: Int = 64) {
        precondition(!strides.isEmpty && strides.allSatisfy { $0 > 0 }, "strides must be positive")
        precondition(clipLength > 0 && cropSize > 0, "clip length and crop size must be positive")
        self.strides = strides
        self.clipLength = clipLength
        self.cropSize = cropSize
    }

    /// Frames a clip of class `speedClass` spans.
    public func span(_ speedClass: Int) -> Int { FrameSampling.span(length: clipLength, stride: strides[speedClass]) }

    /// A sample of class `speedClass` whose frames lie in `frames` (a range of frame indices) of a
    /// `width × height` video; nil when the range is too short for that speed.
    public func sample<G: RandomNumberGenerator>(
        speedClass: Int, frames: Range<Int>, width: Int, height: Int, using generator: inout G
    ) -> PlaybackSpeedSample? {
        let last = frames.upperBound - span(speedClass)
        guard last >= frames.lowerBound, width >= cropSize, height >= cropSize else { return nil }
        return PlaybackSpeedSample(
            start: Int.random(in: frames.lowerBound...last, using: &generator), speedClass: speedClass,
            cropX: Int.random(in: 0...(width - cropSize), using: &generator),
            cropY: Int.random(in: 0...(height - cropSize), using: &generator), flip: Bool.random(using: &generator))
    }
}

/// Cuts the clip a ``PlaybackSpeedSample`` describes out of decoded frames.
public struct PlaybackSpeedRenderer: Sendable {
    public let sampler: PlaybackSpeedSampler

    public init(_ sampler: PlaybackSpeedSampler) { self.sampler = sampler }

    /// The frame indices of the clip.
    public func indices(_ sample: PlaybackSpeedSample) -> [Int] {
        (0..<sampler.clipLength).map { sample.start + $0 * sampler.strides[sample.speedClass] }
    }

    /// The clip: `clipLength` crops of `cropSize²`, mirrored when `flip` (a horizontal flip keeps
    /// the speed, so the label stays). Throws when the sample does not fit `frames`.
    public func render(_ sample: PlaybackSpeedSample, frames: [Image]) throws(VideoError) -> [Image] {
        var clip: [Image] = []
        for i in indices(sample) {
            guard frames.indices.contains(i) else {
                throw VideoError(path: "<frames>", reason: .invalidArgument("frame \(i) of \(frames.count) requested"))
            }
            let crop = try frames[i].cropped(x: sample.cropX, y: sample.cropY, width: sampler.cropSize, height: sampler.cropSize)
            clip.append(sample.flip ? crop.flippedHorizontally() : crop)
        }
        return clip
    }
}
