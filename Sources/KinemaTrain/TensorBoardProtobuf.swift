/// A protocol-buffers message being encoded: just the four wire types TensorBoard's `Event`
/// needs (varint, 64-bit, length-delimited, 32-bit), written field by field in the order given.
/// Encoding rules from https://protobuf.dev/programming-guides/encoding/.
struct ProtobufMessage {
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    /// An `int64` field (negative values take ten bytes, as in protobuf).
    mutating func int64(_ field: Int, _ value: Int64) {
        key(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    /// An enum or `uint64` field.
    mutating func uint64(_ field: Int, _ value: UInt64) {
        key(field, .varint)
        varint(value)
    }

    mutating func double(_ field: Int, _ value: Double) {
        key(field, .fixed64)
        bytes.appendLittleEndian(value.bitPattern)
    }

    mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        bytes.appendLittleEndian(value.bitPattern)
    }

    mutating func string(_ field: Int, _ value: String) {
        lengthDelimited(field, Array(value.utf8))
    }

    /// An embedded message.
    mutating func message(_ field: Int, _ value: ProtobufMessage) {
        lengthDelimited(field, value.bytes)
    }

    private mutating func lengthDelimited(_ field: Int, _ payload: [UInt8]) {
        key(field, .lengthDelimited)
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    private mutating func key(_ field: Int, _ type: WireType) {
        varint(UInt64(field) << 3 | type.rawValue)
    }

    /// Seven bits per byte, least significant group first, high bit set on all but the last.
    private mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}
