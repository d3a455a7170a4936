internal import CKinemaTorch

/// An error from the tensor engine: what failed, on which operands, and libtorch's own words.
///
/// Tensor operations trap on these by default (a shape mismatch inside a model is a programmer
/// error); every operation has a throwing twin on ``Tensor/checked`` for callers that handle
/// input they do not control.
public struct TorchError: Error, Sendable, CustomStringConvertible {
    /// The class of failure, from the exception libtorch threw.
    public enum Code: Int32, Sendable {
        case index = 1, value, type, notImplemented, outOfMemory, torch, std, unknown, argument, load, distributed
    }

    public let code: Code
    /// The operation, e.g. "aten::conv3d".
    public let op: String
    /// The message without libtorch's C++ backtrace.
    public let message: String
    /// Shapes, dtypes and devices of the tensor operands, captured when the call failed.
    public let operands: [String]
    /// libtorch's full text (with backtrace when it gave one).
    public let detail: String

    public init(code: Code, op: String, message: String, operands: [String] = [], detail: String = "") {
        self.code = code
        self.op = op
        self.message = message
        self.operands = operands
        self.detail = detail
    }

    public var description: String {
        var text = "\(op) failed: \(message)"
        if !operands.isEmpty { text += "\n  operands: " + operands.joined(separator: ", ") }
        return text
    }
}

/// Reads and clears the shim's thread-local error record; call right after a failing shim call.
func lastTorchError(status: Int32, op: String, operands: @autoclosure () -> [String] = []) -> TorchError {
    let message = String(cString: kt_last_error_message())
    let detail = String(cString: kt_last_error_detail())
    kt_clear_last_error()
    return TorchError(
        code: TorchError.Code(rawValue: status) ?? .unknown, op: op, message: message,
        operands: operands(), detail: detail)
}

/// Throws the shim's error when `status` is not KT_OK.
@inline(__always)
func check(_ status: Int32, _ op: @autoclosure () -> String) throws(TorchError) {
    if status != 0 { throw lastTorchError(status: status, op: op()) }
}

/// The handle a successful shim call wrote to its out-parameter; throws if it broke the contract
/// and wrote none.
func owned(_ handle: OpaquePointer?, _ op: @autoclosure () -> String) throws(TorchError) -> OpaquePointer {
    guard let handle else { throw TorchError(code: .unknown, op: op(), message: "the shim returned no result") }
    return handle
}

/// Traps with the error's full message: the policy for programmer errors in tensor maths.
func trap(_ error: TorchError, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("\(error)", file: file, line: line)
}
