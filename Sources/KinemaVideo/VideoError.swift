import Foundation

/// Something wrong with an image or video file, or a request about one: which file, and why.
///
/// Everything a user can get wrong in the video layer throws this (missing, corrupt, truncated and
/// zero-frame files, unsupported codecs, unwritable destinations, out-of-range requests); nothing
/// in it traps on such input.
public struct VideoError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// No file or folder at the path.
        case missing
        /// The file exists but cannot be read (permissions, a folder where a file was expected, …).
        case unreadable(String)
        /// The bytes are not an image/video this build decodes, or they are corrupt.
        case corrupt(String)
        /// The file ends early: a truncated JPEG, or a video whose stream stops before a requested frame.
        case truncated(String)
        /// The video opens but holds no decodable frame (or a frame folder holds no images).
        case noFrames(String)
        /// A format, codec or option this OpenCV build does not support.
        case unsupported(String)
        /// A frame index outside the video.
        case frameOutOfRange(index: Int, frameCount: Int)
        /// Writing failed (folder missing or not writable, disk full, encoder error).
        case writeFailed(String)
        /// An argument that cannot work (a zero size, a negative stride, mismatched frame sizes, …).
        case invalidArgument(String)
        /// OpenCV failed on valid input (out of memory, or a defect): its message.
        case engine(String)
    }

    /// The file or folder concerned.
    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public init(_ url: URL, _ reason: Reason) {
        self.init(path: url.path, reason: reason)
    }

    public var description: String {
        switch reason {
        case .missing: "\(path): no such file or folder"
        case .unreadable(let why): "\(path): cannot be read (\(why))"
        case .corrupt(let why): "\(path): cannot be decoded: \(why)"
        case .truncated(let why): "\(path): truncated: \(why)"
        case .noFrames(let why): "\(path): no frames: \(why)"
        case .unsupported(let why): "\(path): unsupported: \(why)"
        case .frameOutOfRange(let index, let count): "\(path): frame \(index) is outside the video (\(count) frames)"
        case .writeFailed(let why): "\(path): cannot be written: \(why)"
        case .invalidArgument(let why): "\(path): \(why)"
        case .engine(let why): "\(path): OpenCV failed: \(why)"
        }
    }
}

extension VideoError {
    /// Maps a shim failure on `url` to a video error (decode failures become `.corrupt` unless the
    /// message says the data ends early).
    init(_ url: URL, _ failure: CVFailure) {
        let reason: Reason =
            switch failure.kind {
            case .io: .unreadable(failure.message)
            case .decode: failure.message.contains("truncated") ? .truncated(failure.message) : .corrupt(failure.message)
            case .unsupported: .unsupported(failure.message)
            case .empty: .noFrames(failure.message)
            case .argument: .invalidArgument(failure.message)
            case .outOfMemory: .engine(failure.message)
            default: .corrupt("OpenCV: \(failure.message)")
            }
        self.init(url, reason)
    }

    /// Maps a shim failure of an in-memory image operation (no file): bad arguments, or the engine's.
    init(image operation: String, _ failure: CVFailure) {
        let message = "\(operation): \(failure.message)"
        self.init(path: "<image>", reason: failure.kind == .argument ? .invalidArgument(message) : .engine(message))
    }

    /// `.missing` or `.unreadable` when the path cannot be read as a file; nil when it can.
    static func checkReadableFile(_ url: URL) -> VideoError? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return VideoError(url, .missing) }
        if isFolder.boolValue { return VideoError(url, .unreadable("it is a folder, not a file")) }
        if !FileManager.default.isReadableFile(atPath: url.path) { return VideoError(url, .unreadable("permission denied")) }
        return nil
    }
}
