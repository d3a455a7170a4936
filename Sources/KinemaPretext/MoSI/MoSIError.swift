/// A MoSI setting that cannot work, or a source image the generator cannot use: what is wrong and
/// what to change.
public struct MoSIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "MoSI: \(message)" }
}
