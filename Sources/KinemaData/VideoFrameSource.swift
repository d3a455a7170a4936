import Foundation
import KinemaVideo

/// Videos seen as still images: item i is one uniformly random frame of video i, drawn anew with
/// each generator (MoSI §4 "Data preparations": one frame per video, re-sampled every epoch).
public struct VideoFrameSource: StillImageSource {
    public static let videoExtensions: Set<String> = ["mp4", "avi", "mkv", "webm", "mov", "m4v", "mpg", "mpeg"]

    /// The videos, in item order.
    public let videos: [URL]

    /// The given videos (not opened until used). Throws `.noFrames` for an empty list.
    public init(videos: [URL]) throws(VideoError) {
        guard !videos.isEmpty else { throw VideoError(path: "<video list>", reason: .noFrames("no videos given")) }
        self.videos = videos
    }

    /// Every video file under `folder` (sub-folders included), in natural path order.
    public init(folder: URL) throws(VideoError) {
        videos = try MediaFiles.list(in: folder, extensions: Self.videoExtensions, kind: "videos (\(Self.videoExtensions.sorted().joined(separator: "/")))")
    }

    public var count: Int { videos.count }

    /// A uniformly random frame of video `index`. When the container declares more frames than
    /// decode (or none), the frame is drawn again among the frames that really decode.
    public func image<G: RandomNumberGenerator>(at index: Int, using generator: inout G) throws(VideoError) -> Image {
        try checkIndex(index, name: "<video list>")
        // Timestamp seeking: fast, and which frame exactly does not matter for a random draw.
        let reader = try VideoReader(videos[index])
        let declared = reader.metadata.frameCount
        if declared > 0 {
            do {
                return try reader.frame(at: Int.random(in: 0..<declared, using: &generator))
            } catch let error where error.isShortStream {
                // Fall through to the exact count.
            }
        }
        let decodable = try reader.countFrames()
        guard decodable > 0 else { throw VideoError(videos[index], .noFrames("no frame decodes")) }
        return try reader.frame(at: Int.random(in: 0..<decodable, using: &generator))
    }
}

extension VideoError {
    /// The stream ended before a frame its container declared.
    fileprivate var isShortStream: Bool {
        switch reason {
        case .truncated, .frameOutOfRange: true
        default: false
        }
    }
}
