/// A benchmark setting or asset folder that cannot work: what is wrong and what to do.
public struct MotionBenchmarkError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "motion benchmark: \(message)" }
}
