import Foundation

/// Something frames can be appended to: a video file or an animated GIF.
public protocol FrameWriter: AnyObject {
    func write(_ frame: Image) throws(VideoError)
    /// Completes the file; further writes fail.
    func finish() throws(VideoError)
}

extension VideoWriter: FrameWriter {}
extension GIFWriter: FrameWriter {}

/// A writer chosen by the file extension: `.gif` → ``GIFWriter``, anything else (`.mp4`, `.avi`,
/// `.mkv`) → ``VideoWriter`` through FFmpeg.
public func makeFrameWriter(url: URL, width: Int, height: Int, fps: Double) throws(VideoError) -> any FrameWriter {
    if url.pathExtension.lowercased() == "gif" { return try GIFWriter(url: url, width: width, height: height, fps: fps) }
    return try VideoWriter(url: url, width: width, height: height, fps: fps)
}
