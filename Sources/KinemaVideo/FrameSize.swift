/// The size frames are decoded to.
public enum FrameSize: Sendable, Equatable, Hashable {
    /// The video's own size.
    case native
    /// Exactly `width × height` (aspect ratio not kept).
    case exactly(width: Int, height: Int)
    /// Scaled so the shorter side is this many pixels, aspect ratio kept (the usual "short side 256"
    /// of video pipelines); the longer side is rounded to the nearest pixel.
    case shortSide(Int)

    /// The concrete size for a `width × height` source.
    public func resolve(width: Int, height: Int) throws(VideoError) -> (width: Int, height: Int) {
        switch self {
        case .native:
            return (width, height)
        case .exactly(let w, let h):
            guard w > 0, h > 0 else { throw invalid("frame size \(w)x\(h) must be positive") }
            return (w, h)
        case .shortSide(let side):
            guard side > 0 else { throw invalid("short side \(side) must be positive") }
            if width <= height {
                return (side, max(1, Int((Double(height) * Double(side) / Double(width)).rounded())))
            }
            return (max(1, Int((Double(width) * Double(side) / Double(height)).rounded())), side)
        }
    }

    private func invalid(_ why: String) -> VideoError { VideoError(path: "<frame size>", reason: .invalidArgument(why)) }
}

/// What a video declares about itself.
public struct VideoMetadata: Sendable, Equatable {
    /// Native frame size.
    public let width: Int
    public let height: Int
    /// Frames per second as the container declares it (0 when it declares none).
    public let fps: Double
    /// Frame count as the container declares it. Some containers over- or under-count (a stream can
    /// end early); ``VideoReader/countFrames()`` decodes through the file for the exact number.
    public let frameCount: Int
    /// The codec's FourCC (e.g. "avc1", "FMP4", "VP90"), or a description for frame folders.
    public let codec: String

    /// `frameCount / fps` in seconds (0 when the fps is unknown).
    public var duration: Double { fps > 0 ? Double(frameCount) / fps : 0 }
}
