import Foundation

/// A stream that ended before the frame count its container declares: a truncated or damaged file,
/// or a container that over-counts (VP9 in AVI, whose hidden frames count in the header but never
/// decode; Matroska, whose count is duration × frame rate, an estimate for variable frame rates).
/// Readers of whole streams say so instead of reporting the declared count as done
/// (``VideoReader/shortfall``).
public struct VideoShortfall: Sendable, Equatable, CustomStringConvertible {
    /// The file or folder read.
    public let path: String
    /// Frames the stream gave before it ended.
    public let decoded: Int
    /// Frames the container declares.
    public let declared: Int

    public var description: String {
        "\(path): the stream ended after \(decoded) of the \(declared) frames its container declares (a truncated or "
            + "damaged file, or a count that is only an estimate, as with variable frame rates); the \(decoded) decoded "
            + "frames were used"
    }

    /// Writes "warning: …" to standard error.
    public func warn() {
        FileHandle.standardError.write(Data("warning: \(self)\n".utf8))
    }
}
