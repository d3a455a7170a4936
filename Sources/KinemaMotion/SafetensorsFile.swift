import Foundation
import KinemaFiles

/// The safetensors container (an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data), for the motion layer's
/// files. KinemaTensor has the full reader; this layer must not depend on libtorch, and only needs
/// flat arrays.
enum SafetensorsFile {
    struct Tensor {
        var name: String
        var dtype: String
        var shape: [Int]
        var data: Data
    }

    struct FormatError: Error {
        let why: String
    }

    static let elementSizes = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1]

    static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) -> Data {
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for t in tensors {
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(t.name)):{\"dtype\":\"\(t.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + t.data.count)]}")
            offset += t.data.count
        }
        var header = Data("{\(entries.joined(separator: ","))}".utf8)
        // The format pads the header with spaces to a multiple of 8 bytes.
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))
        var out = Data()
        out.appendLittleEndian(UInt64(header.count))
        out.append(header)
        for t in tensors { out.append(t.data) }
        return out
    }

    /// The string metadata of a file's header (empty when it has none).
    static func metadata(_ data: Data) throws(FormatError) -> [String: String] {
        (try header(data).json["__metadata__"] as? [String: String]) ?? [:]
    }

    private static func header(_ data: Data) throws(FormatError) -> (json: [String: Any], end: Int) {
        guard data.count >= 8 else { throw FormatError(why: "too short for a safetensors header") }
        let claimed = UInt64(data.littleEndianUInt32(at: 0)) | UInt64(data.littleEndianUInt32(at: 4)) << 32
        // Compared as the file's UInt64 before it becomes an Int: a length over Int.max must not trap.
        guard claimed > 0, claimed <= UInt64(data.count - 8) else {
            throw FormatError(why: "header length \(claimed) exceeds the file (truncated?)")
        }
        let end = data.startIndex + 8 + Int(claimed)
        do {
            guard let object = try JSONSerialization.jsonObject(with: data[(data.startIndex + 8)..<end]) as? [String: Any] else {
                throw FormatError(why: "the header is not a JSON object")
            }
            return (object, end)
        } catch let error as FormatError { throw error } catch { throw FormatError(why: "malformed JSON header") }
    }

    /// Where each tensor lies in `data` (absolute byte ranges), checked against the file's length.
    static func entries(_ data: Data) throws(FormatError) -> [String: (dtype: String, shape: [Int], bytes: Range<Int>)] {
        let (json, base) = try header(data)
        var entries: [String: (dtype: String, shape: [Int], bytes: Range<Int>)] = [:]
        for (name, value) in json where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                let size = elementSizes[dtype]
            else { throw FormatError(why: "bad header entry for '\(name)'") }
            // Shape and offsets are the file's claims: checked against its length without overflow.
            let (bytes, overflow) = (shape + [size]).reduce((1, false)) { acc, n in
                let r = acc.0.multipliedReportingOverflow(by: n)
                return (r.partialValue, acc.1 || r.overflow)
            }
            guard shape.allSatisfy({ $0 >= 0 }), !overflow, offsets[0] >= 0, offsets[1] >= offsets[0],
                offsets[1] - offsets[0] == bytes, offsets[1] <= data.endIndex - base
            else { throw FormatError(why: "tensor '\(name)' does not fit the file (truncated?)") }
            entries[name] = (dtype, shape, (base + offsets[0])..<(base + offsets[1]))
        }
        let ranges = entries.map { (range: ($0.value.bytes.lowerBound - base)..<($0.value.bytes.upperBound - base), name: $0.key) }
        if let problem = SafetensorsTiling.problem(ranges, payload: data.endIndex - base) { throw FormatError(why: problem) }
        return entries
    }

    static func decode(_ data: Data) throws(FormatError) -> [String: Tensor] {
        try entries(data).reduce(into: [:]) { tensors, entry in
            let (name, (dtype, shape, bytes)) = entry
            tensors[name] = Tensor(name: name, dtype: dtype, shape: shape, data: Data(data[bytes]))
        }
    }

    private static func jsonString(_ s: String) -> String {
        let escaped = s.unicodeScalars.map { c -> String in
            switch c {
            case "\"": "\\\""
            case "\\": "\\\\"
            case _ where c.value < 0x20: String(format: "\\u%04x", c.value)
            default: String(c)
            }
        }
        return "\"\(escaped.joined())\""
    }
}
