import Foundation

/// A stream that ended before the frame count its container declares: a truncated or damaged file,
/// or (a few frames short) a container that over-counts, such as VP9 in AVI, whose hidden frames
/// count in the header but never decode. Readers of whole streams say so instead of reporting the
/// declared count as done (``VideoReader/shortfall``).
public struct VideoShortfall: Sendable, Equatable, CustomStringConvertible {
    /// The file or folder read.
    public let path: String
    /// Frames the stream gave before it ended.
    public let decoded: Int
    /// Frames the container declares.
    public let declared: Int

    /// Below this fraction of the declared frames the file is called truncated or damaged; above it
    /// the container may simply over-count (balle1-vp9.avi: 295 of 300).
    public static let damagedBelow = 0.9

    public var description: String {
        let what = Double(decoded) < Self.damagedBelow * Double(declared)
            ? "the file is truncated or damaged" : "the container may over-count"
        return "\(path): the stream ended after \(decoded) of the \(declared) frames its container declares (\(what)); "
            + "the \(decoded) decoded frames were used"
    }

    /// Writes "warning: …" to standard error.
    public func warn() {
        FileHandle.standardError.write(Data("warning: \(self)\n".utf8))
    }
}
