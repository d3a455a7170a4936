/// TFRecord framing, the container of TensorBoard event files: each record is
///
///     uint64 length               little-endian
///     uint32 masked CRC32C(length bytes)
///     length bytes of data        (here: one serialized `Event` protobuf)
///     uint32 masked CRC32C(data)
///
/// as TensorFlow's `tensorflow/core/lib/io/record_writer.cc` writes it, so TensorBoard (and any
/// TFRecord reader) reads our files and notices a truncated or corrupted record.
enum TFRecord {
    /// The bytes of one record holding `data`.
    static func frame(_ data: [UInt8]) -> [UInt8] {
        var length: [UInt8] = []
        length.appendLittleEndian(UInt64(data.count))
        var record = length
        record.reserveCapacity(data.count + 16)
        record.appendLittleEndian(CRC32C.masked(length))
        record.append(contentsOf: data)
        record.appendLittleEndian(CRC32C.masked(data))
        return record
    }
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78; RFC 3720 §B.4), the checksum of TFRecord.
enum CRC32C {
    /// The CRC of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }

    /// The CRC as TFRecord stores it: rotated right by 15 bits plus a constant, because a CRC of
    /// data that itself holds CRCs is weak (TensorFlow's `crc32c::Mask`).
    static func masked(_ bytes: some Sequence<UInt8>) -> UInt32 {
        mask(checksum(bytes))
    }

    static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }
}

extension [UInt8] {
    mutating func appendLittleEndian(_ value: some FixedWidthInteger) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
