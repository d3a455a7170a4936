internal import CKinemaCV

// The Swift side of the OpenCV shim's contract, shared with KinemaMotion through `package` access:
// status checking with the shim's thread-local error record, and owned result matrices.

/// A failed shim call: the status class and the shim's (or OpenCV's) message. Each layer maps it to
/// its own domain error, naming the file or the operation.
package struct CVFailure: Error, Sendable {
    package enum Kind: Int32, Sendable {
        case opencv = 1, outOfMemory, std, unknown, argument, io, decode, unsupported, empty
    }

    package let kind: Kind
    package let message: String
}

/// Throws the shim's error record when `status` is not KCV_OK.
@inline(__always)
package func cvCheck(_ status: Int32) throws(CVFailure) {
    guard status != 0 else { return }
    let message = String(cString: kcv_last_error_message())
    kcv_clear_last_error()
    throw CVFailure(kind: CVFailure.Kind(rawValue: status) ?? .unknown, message: message)
}

/// An owned matrix returned by the shim (freed on deinit); its bytes are copied out into Swift values.
package final class CVMat {
    package enum Depth: Int32 { case u8 = 0, f32 = 1, f64 = 2 }

    package let width: Int
    package let height: Int
    package let channels: Int
    package let depth: Depth
    private let handle: OpaquePointer
    private let data: UnsafeRawPointer?

    /// Takes ownership of a kcv_mat handle a successful shim call wrote to its out-parameter;
    /// throws (freeing it) when the shim broke its contract.
    package init(owning handle: OpaquePointer?) throws(CVFailure) {
        guard let handle else { throw CVFailure(kind: .unknown, message: "the shim returned no result") }
        var w: Int32 = 0, h: Int32 = 0, c: Int32 = 0, d: Int32 = 0
        var pointer: UnsafeRawPointer?
        let status = kcv_mat_info(handle, &w, &h, &c, &d, &pointer)
        guard status == 0, let depth = Depth(rawValue: d) else {
            kcv_mat_free(handle)
            try cvCheck(status)
            throw CVFailure(kind: .unknown, message: "the shim returned a matrix of unknown depth code \(d)")
        }
        self.handle = handle
        (width, height, channels, self.depth, data) = (Int(w), Int(h), Int(c), depth, pointer)
    }

    deinit { kcv_mat_free(handle) }

    package var count: Int { width * height * channels }

    package func bytes() -> [UInt8] { copy(as: UInt8.self, expected: .u8) }
    package func floats() -> [Float] { copy(as: Float.self, expected: .f32) }
    package func doubles() -> [Double] { copy(as: Double.self, expected: .f64) }

    private func copy<T>(as: T.Type, expected: Depth) -> [T] {
        precondition(depth == expected, "the shim returned \(depth), not \(expected)")
        let n = count
        guard let data, n > 0 else { return [] }
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: data, byteCount: n * MemoryLayout<T>.stride)
            initialized = n
        }
    }
}

/// Runs a shim call that returns one matrix through its last out-parameter.
@inline(__always)
package func cvMat(_ call: (UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws(CVFailure) -> CVMat {
    var out: OpaquePointer?
    try cvCheck(call(&out))
    return try CVMat(owning: out)
}

extension Image {
    /// Wraps a shim result (8-bit, 1/3/4 channels) as an image.
    package init(_ mat: CVMat) {
        let format = PixelFormat(rawValue: mat.channels) ?? .rgb
        self.init(width: mat.width, height: mat.height, format: format, pixels: mat.bytes())
    }
}
