/// Something wrong with motion input: mismatched sizes, a parameter that cannot work, a flow or
/// trajectory file that cannot be read. Thrown, never trapped, for anything a user can get wrong.
public struct MotionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Two inputs that must agree in size do not.
        case sizeMismatch(String)
        /// A parameter outside what the algorithm accepts.
        case invalidParameter(String)
        /// A flow/trajectory file that is missing, unreadable, malformed or truncated.
        case badFile(path: String, why: String)
        /// The engine failed for another reason (OpenCV's message).
        case engine(String)
    }

    public let operation: String
    public let reason: Reason

    public init(_ operation: String, _ reason: Reason) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .sizeMismatch(let why): "\(operation): size mismatch: \(why)"
        case .invalidParameter(let why): "\(operation): invalid parameter: \(why)"
        case .badFile(let path, let why): "\(operation): \(path): \(why)"
        case .engine(let why): "\(operation) failed: \(why)"
        }
    }
}

extension MotionError {
    init(_ operation: String, _ failure: CVFailure) {
        self.init(operation, failure.kind == .argument ? .invalidParameter(failure.message) : .engine(failure.message))
    }
}

extension Image {
    /// ``Image/converted(to:)`` inside a motion operation: OpenCV's failure becomes a MotionError.
    func converted(to format: PixelFormat, in operation: String) throws(MotionError) -> Image {
        do { return try converted(to: format) } catch { throw MotionError(operation, .engine(error.description)) }
    }
}
