internal import CKinemaTorch

/// An n-dimensional array on a device, backed by a libtorch tensor.
///
/// `Tensor` has reference semantics, like `torch.Tensor`: two variables may name one tensor, and
/// in-place operations (whose names end in `InPlace`) are seen through both. It is deliberately
/// not `Sendable`: make tensors on the thread that uses them and send plain Swift arrays between
/// threads. Layout follows PyTorch (`[N, C, T, H, W]` for video).
///
/// Operations trap on programmer errors (mismatched shapes, dtypes or devices) with libtorch's
/// message and the operands' shapes; ``checked`` gives the throwing twin of every operation:
///
/// ```swift
/// let y = x.matmul(w)               // traps on a shape mismatch
/// let z = try x.checked.matmul(w)   // throws TorchError instead
/// ```
public final class Tensor {
    let handle: OpaquePointer

    /// Takes ownership of a +1 shim handle.
    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        kt_tensor_free(handle)
    }

    /// The throwing twins of this tensor's operations.
    public var checked: Checked { Checked(base: self) }

    /// Namespace of throwing operations: `try x.checked.reshaped([2, -1])`; static ones
    /// (`cat`, `stack`, `where`, `einsum`) are `try Tensor.Checked.cat([a, b], dim: 1)`.
    public struct Checked {
        public let base: Tensor
    }
}

@available(*, unavailable, message: "Tensor is not thread-safe; send arrays between threads instead")
extension Tensor: @unchecked Sendable {}

// MARK: - Metadata

extension Tensor {
    /// The size of every dimension, e.g. `[8, 3, 16, 112, 112]`.
    public var shape: [Int] {
        var rank: Int64 = 0
        _ = kt_tensor_ndim(handle, &rank)
        var sizes = [Int64](repeating: 0, count: Int(rank))
        _ = kt_tensor_sizes(handle, &sizes, rank)
        return sizes.map { Int($0) }
    }

    /// Number of dimensions.
    public var rank: Int {
        var rank: Int64 = 0
        _ = kt_tensor_ndim(handle, &rank)
        return Int(rank)
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Element strides, in elements.
    public var strides: [Int] {
        let n = rank
        var strides = [Int64](repeating: 0, count: n)
        _ = kt_tensor_strides(handle, &strides, Int64(n))
        return strides.map { Int($0) }
    }

    /// The element type; ``DType/unsupported`` for one Kinema does not model (e.g. complex).
    public var dtype: DType { DType(rawValue: dtypeCode) ?? .unsupported }

    /// libtorch's `c10::ScalarType` code.
    private var dtypeCode: Int32 {
        var code: Int32 = DType.unsupported.rawValue
        _ = kt_tensor_dtype(handle, &code)
        return code
    }

    /// Where the elements live; of kind ``Device/Kind/unsupported`` for a device Kinema does not model.
    public var device: Device {
        var type: Int32 = Device.Kind.unsupported.rawValue
        var index: Int32 = -1
        _ = kt_tensor_device(handle, &type, &index)
        return Device(Device.Kind(rawValue: type) ?? .unsupported, index: Int(index))
    }

    public var isContiguous: Bool {
        var out = false
        _ = kt_tensor_is_contiguous(handle, &out)
        return out
    }

    /// How many libtorch references share this tensor (this one included): lets tests check that
    /// nothing else, such as the shim's result stack, keeps a result and its graph alive.
    package var referenceCount: Int {
        var count: Int64 = 0
        _ = kt_tensor_use_count(handle, &count)
        return Int(count)
    }

    /// True when both values name the same libtorch tensor (shared storage and autograd identity).
    public func isSameTensor(as other: Tensor) -> Bool {
        var a: UInt = 0
        var b: UInt = 0
        _ = kt_tensor_impl_id(handle, &a)
        _ = kt_tensor_impl_id(other.handle, &b)
        return a == b
    }

    /// "Tensor[2, 3] float32 cpu": shape, dtype and device, for messages. A dtype Kinema does not
    /// model shows libtorch's name: "Tensor[2] ComplexFloat (unsupported) cpu".
    public var summary: String {
        let code = dtypeCode
        let dtype = DType(rawValue: code).map(\.description) ?? "\(String(cString: kt_dtype_name(code))) (unsupported)"
        return "Tensor\(shape) \(dtype) \(device)"
    }

    /// The size of dimension `dim` (negative counts from the end).
    public func size(_ dim: Int, file: StaticString = #fileID, line: UInt = #line) -> Int {
        let s = shape
        let d = dim < 0 ? dim + s.count : dim
        precondition(d >= 0 && d < s.count, "dimension \(dim) out of range for \(summary)", file: file, line: line)
        return s[d]
    }
}

extension Tensor: CustomStringConvertible {
    /// libtorch's printout of the values, followed by the shape and dtype.
    public var description: String {
        var text: UnsafeMutablePointer<CChar>?
        guard kt_tensor_description(handle, &text) == 0, let text else { return summary }
        defer { kt_string_free(text) }
        return String(cString: text)
    }
}
