internal import CKinemaCV
import Foundation

/// Writes 8-bit frames to a video file through FFmpeg (for visualisations: flow previews, tracks).
///
/// The codec is the first of `codecs` this OpenCV build can encode: H.264 (`avc1`) where FFmpeg
/// has an H.264 encoder, else MPEG-4 part 2 (`mp4v`). Frames must all have the size given at
/// creation; gray and RGBA frames are converted.
public final class VideoWriter {
    public let url: URL
    public let width: Int
    public let height: Int
    /// The FourCC actually used.
    public let codec: String
    private var handle: OpaquePointer?
    public private(set) var frameCount = 0

    public init(url: URL, width: Int, height: Int, fps: Double, codecs: [String] = ["avc1", "mp4v"]) throws(VideoError) {
        guard width > 0, height > 0, fps > 0, fps.isFinite else {
            throw VideoError(url, .invalidArgument("video size \(width)x\(height) and fps \(fps) must be positive"))
        }
        guard FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path) else {
            throw VideoError(url, .writeFailed("the folder \(url.deletingLastPathComponent().path) does not exist"))
        }
        var tried: [String] = []
        for codec in codecs where codec.utf8.count == 4 {
            var h: OpaquePointer?
            if kcv_writer_open(url.path, codec, fps, Int32(width), Int32(height), &h) == 0, let h {
                (self.url, self.width, self.height, self.codec, self.handle) = (url, width, height, codec, h)
                return
            }
            kcv_clear_last_error()
            tried.append(codec)
        }
        throw VideoError(url, .unsupported("no encoder for \(tried.joined(separator: ", ")) in this FFmpeg/OpenCV build"))
    }

    deinit { kcv_writer_free(handle) }

    /// Appends one frame.
    public func write(_ frame: Image) throws(VideoError) {
        guard let handle else { throw VideoError(url, .writeFailed("the writer is already finished")) }
        guard frame.width == width, frame.height == height else {
            throw VideoError(url, .invalidArgument("frame is \(frame.width)x\(frame.height), the video is \(width)x\(height)"))
        }
        do { try frame.withCVView { v throws(CVFailure) in try cvCheck(kcv_writer_write(handle, v)) } } catch {
            throw VideoError(url, .writeFailed(error.message))
        }
        frameCount += 1
    }

    /// Flushes the encoder and closes the file (also done on deinit).
    public func finish() throws(VideoError) {
        guard let handle else { return }
        defer {
            kcv_writer_free(handle)
            self.handle = nil
        }
        do { try cvCheck(kcv_writer_close(handle)) } catch { throw VideoError(url, .writeFailed(error.message)) }
    }
}
