internal import CKinemaCV
import Foundation

/// Decodes frames from a video file (FFmpeg through OpenCV's videoio) or a folder of numbered images,
/// as 8-bit RGB or gray ``Image``s, optionally resized while decoding.
///
/// A reader holds decoder state: use one per thread (it is not `Sendable`); the frames it returns
/// are plain values that can go anywhere. Opening decodes the first frame, so a file that opens but
/// cannot be decoded fails at `init` with a ``VideoError`` naming the file.
///
/// ```swift
/// let reader = try VideoReader(url, size: .shortSide(128))
/// let clip = try reader.frames(at: FrameSampling.clip(start: 0, length: 16, stride: 4, frameCount: reader.metadata.frameCount))
/// ```
public final class VideoReader {
    /// The file or folder read.
    public let url: URL
    public let metadata: VideoMetadata
    /// The size frames come out at.
    public let outputWidth: Int
    public let outputHeight: Int
    /// `.rgb` or `.gray`.
    public let format: PixelFormat
    public let seeking: Seeking
    /// Set when ``next()`` reached the end of a file's stream before the frame count its container
    /// declares: how many frames it gave (nil while the stream goes on, or when it ended as declared).
    public private(set) var shortfall: VideoShortfall?

    /// How ``frame(at:)`` reaches a frame that is behind the decoder or far ahead of it (short
    /// forward gaps are always decoded through).
    public enum Seeking: Sendable {
        /// FFmpeg's timestamp seek: fast, and exact on streams whose timestamps advance one frame
        /// per decoded frame (MP4/H.264 and most files). On streams with dropped frames (an AVI
        /// declaring more frames than it decodes) its index follows timestamps, not decode order.
        case timestamp
        /// Decodes forward from the current frame (reopening the file to go back): slow for far
        /// jumps, always in decode order — frame i is the i-th frame ``next()`` would return.
        case decodeOrder
    }

    private enum Source {
        case file(OpaquePointer)
        case folder([URL], next: Int)
    }
    private var source: Source

    /// Opens a video file, or a folder of frames (jpg/jpeg/png/bmp/webp/pgm/ppm, ordered by their
    /// names with numbers compared numerically; `folderFPS` is then the declared frame rate).
    public init(
        _ url: URL, size: FrameSize = .native, format: PixelFormat = .rgb, seeking: Seeking = .timestamp, folderFPS: Double = 25
    ) throws(VideoError) {
        guard format != .rgba else { throw VideoError(url, .invalidArgument("videos decode to .rgb or .gray, not .rgba")) }
        self.url = url
        self.format = format
        self.seeking = seeking
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { throw VideoError(url, .missing) }
        if isFolder.boolValue {
            let frames = try Self.frameFiles(in: url)
            let first = try Image(contentsOf: frames[0], format: format)
            metadata = VideoMetadata(width: first.width, height: first.height, fps: folderFPS, frameCount: frames.count, codec: "image sequence")
            source = .folder(frames, next: 0)
        } else {
            if let problem = VideoError.checkReadableFile(url) { throw problem }
            var info = kcv_video_info()
            var handle: OpaquePointer?
            do { try cvCheck(kcv_capture_open(url.path, &handle, &info)) } catch { throw VideoError(url, error) }
            let codec = withUnsafeBytes(of: info.codec) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            metadata = VideoMetadata(
                width: Int(info.width), height: Int(info.height), fps: info.fps.isFinite ? info.fps : 0,
                frameCount: max(0, Int(info.frame_count)), codec: codec)
            guard let handle else { throw VideoError(url, .corrupt("the shim returned no decoder")) }
            source = .file(handle)
        }
        do { (outputWidth, outputHeight) = try size.resolve(width: metadata.width, height: metadata.height) } catch {
            // deinit does not run for a half-initialised object: release the decoder here.
            if case .file(let handle) = source { kcv_capture_free(handle) }
            throw error
        }
    }

    deinit {
        if case .file(let handle) = source { kcv_capture_free(handle) }
    }

    /// The index of the frame ``next()`` returns.
    public var position: Int {
        switch source {
        case .file(let handle):
            var index: Int64 = 0
            _ = kcv_capture_position(handle, &index)
            return Int(index)
        case .folder(_, let next):
            return next
        }
    }

    /// The next frame in decode order, or nil at the end of the stream.
    public func next() throws(VideoError) -> Image? {
        switch source {
        case .file(let handle):
            var out: OpaquePointer?
            do {
                let native = outputWidth == metadata.width && outputHeight == metadata.height
                try cvCheck(kcv_capture_read(
                    handle, native ? 0 : Int32(outputWidth), native ? 0 : Int32(outputHeight), Int32(format.channels), &out))
            } catch { throw VideoError(url, error) }
            guard let out else {
                let decoded = position
                if decoded < metadata.frameCount {
                    shortfall = VideoShortfall(path: url.path, decoded: decoded, declared: metadata.frameCount)
                }
                return nil
            }
            let frame: Image
            do { frame = Image(try CVMat(owning: out)) } catch { throw VideoError(url, error) }
            guard frame.width == outputWidth, frame.height == outputHeight else {
                throw VideoError(url, .corrupt("frame \(position - 1) is \(frame.width)x\(frame.height), the stream started at \(metadata.width)x\(metadata.height)"))
            }
            return frame
        case .folder(let frames, let next):
            guard next < frames.count else { return nil }
            source = .folder(frames, next: next + 1)
            let frame = try Image(contentsOf: frames[next], format: format)
            return try frame.resized(width: outputWidth, height: outputHeight)
        }
    }

    /// Frame `index` (0-based): nearby forward positions are decoded through, others reached as
    /// ``seeking`` says.
    public func frame(at index: Int) throws(VideoError) -> Image {
        try seek(to: index)
        guard let frame = try next() else { throw endedEarly(before: index) }
        return frame
    }

    /// The frames at `indices` (any order, repeats allowed), decoding each distinct frame once in
    /// ascending order. Throws `.truncated` when the stream ends before a requested frame.
    public func frames(at indices: [Int]) throws(VideoError) -> [Image] {
        var decoded: [Int: Image] = [:]
        for index in Set(indices).sorted() { decoded[index] = try frame(at: index) }
        return indices.map { decoded[$0]! }
    }

    /// Every remaining frame from the current position to the end of the stream.
    public func remainingFrames() throws(VideoError) -> [Image] {
        var frames: [Image] = []
        while let frame = try next() { frames.append(frame) }
        return frames
    }

    /// The exact number of decodable frames, found by demuxing through the whole file with a second
    /// decoder (this reader's position is not disturbed). Use it when the declared count is suspect.
    public func countFrames() throws(VideoError) -> Int {
        guard case .file = source else { return metadata.frameCount }
        var info = kcv_video_info()
        var handle: OpaquePointer?
        do { try cvCheck(kcv_capture_open(url.path, &handle, &info)) } catch { throw VideoError(url, error) }
        defer { kcv_capture_free(handle) }
        var skipped: Int64 = 0
        let chunk: Int64 = 1 << 20
        var total = 0
        repeat {
            _ = kcv_capture_skip(handle, chunk, &skipped)
            total += Int(skipped)
        } while skipped == chunk
        return total
    }

    private func seek(to index: Int) throws(VideoError) {
        guard index >= 0, index < metadata.frameCount || metadata.frameCount == 0 else {
            throw VideoError(url, .frameOutOfRange(index: index, frameCount: metadata.frameCount))
        }
        switch source {
        case .file(let handle):
            do { try cvCheck(kcv_capture_seek(handle, Int64(index), seeking == .decodeOrder)) } catch { throw VideoError(url, error) }
            if position != index { throw endedEarly(before: index) }
        case .folder(let frames, _):
            source = .folder(frames, next: index)
        }
    }

    private func endedEarly(before index: Int) -> VideoError {
        VideoError(url, .truncated("the stream ends before frame \(index) (the container declares \(metadata.frameCount) frames)"))
    }

    /// Image files of a frame folder in natural order (frame2 before frame10).
    private static func frameFiles(in folder: URL) throws(VideoError) -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw VideoError(folder, .unreadable(error.localizedDescription))
        }
        let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "pgm", "ppm"]
        let frames = names.filter { imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.hasPrefix(".") }
            .sorted { $0.compare($1, options: [.numeric, .caseInsensitive]) == .orderedAscending }
        guard !frames.isEmpty else { throw VideoError(folder, .noFrames("the folder holds no jpg/png/bmp/webp/pgm/ppm images")) }
        return frames.map { folder.appendingPathComponent($0) }
    }
}
