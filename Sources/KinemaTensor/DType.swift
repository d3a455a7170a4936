/// The element type of a ``Tensor``. Raw values are libtorch's `c10::ScalarType` codes.
///
/// ``unsupported`` stands for the dtypes libtorch has and Kinema does not model (complex,
/// quantized, float8, …), so reading ``Tensor/dtype`` never traps; no tensor can be made with it.
public enum DType: Int32, Sendable, CaseIterable, CustomStringConvertible, Codable {
    case uint8 = 0
    case int8 = 1
    case int16 = 2
    case int32 = 3
    case int64 = 4
    case float16 = 5
    case float32 = 6
    case float64 = 7
    case bool = 11
    case bfloat16 = 15
    /// A dtype Kinema does not model (``Tensor/summary`` names libtorch's).
    case unsupported = -1

    /// The dtypes Kinema models (every case but ``unsupported``).
    public static let allCases: [DType] = [.uint8, .int8, .int16, .int32, .int64, .float16, .float32, .float64, .bool, .bfloat16]

    /// Bytes per element (0 for ``unsupported``).
    public var byteCount: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .int16, .float16, .bfloat16: 2
        case .int32, .float32: 4
        case .int64, .float64: 8
        case .unsupported: 0
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .float32, .float64, .bfloat16: true
        default: false
        }
    }

    /// PyTorch's spelling (`torch.float32` → "float32"), also the safetensors header's ("F32").
    public var description: String {
        switch self {
        case .uint8: "uint8"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        case .bool: "bool"
        case .bfloat16: "bfloat16"
        case .unsupported: "unsupported"
        }
    }
}

/// Swift types whose values a ``Tensor`` can hold directly (creation from and conversion to arrays).
public protocol TensorElement: Sendable {
    static var dtype: DType { get }
}

extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int: TensorElement { public static var dtype: DType { .int64 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension Int16: TensorElement { public static var dtype: DType { .int16 } }
extension Int8: TensorElement { public static var dtype: DType { .int8 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }
#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: TensorElement { public static var dtype: DType { .float16 } }
#endif
