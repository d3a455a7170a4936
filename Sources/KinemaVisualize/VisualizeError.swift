import KinemaMotion
import KinemaVideo

/// Something wrong with a visualisation request or its inputs: what, and how to fix it. Everything
/// a user can get wrong here (a stage or class out of range, an unreadable video, a malformed
/// metrics log, a missing picture) throws this; nothing traps on such input.
public struct VisualizeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// An argument that cannot work (a stage or class index out of range, a zero size, …).
        case invalidArgument(String)
        /// Reading the video or writing a picture failed.
        case video(VideoError)
        /// Optical flow failed.
        case motion(MotionError)
        /// A file the request needs is not there.
        case missingFile(path: String)
        /// A metrics log line that is not a valid record (1-based line number).
        case malformedMetrics(path: String, line: Int, why: String)
        /// Writing the report failed.
        case writeFailed(path: String, why: String)
    }

    public let reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    static func invalid(_ why: String) -> VisualizeError { VisualizeError(.invalidArgument(why)) }

    public var description: String {
        switch reason {
        case .invalidArgument(let why): why
        case .video(let error): error.description
        case .motion(let error): error.description
        case .missingFile(let path): "\(path): no such file"
        case .malformedMetrics(let path, let line, let why): "\(path):\(line): not a metrics record: \(why)"
        case .writeFailed(let path, let why): "\(path): cannot be written: \(why)"
        }
    }
}
