import Foundation
import KinemaFiles

/// Reads and writes the safetensors format (a JSON header of names, dtypes, shapes and byte
/// offsets, then raw little-endian data), so tensors move between Kinema and PyTorch with
/// `safetensors.torch.save_file` / `load_file`.
///
/// Reading validates everything a truncated or corrupt file can get wrong and throws a
/// ``SafetensorsError`` naming the file and the problem; writing is atomic (a temporary file in
/// the same folder, then a rename), so a crash never leaves half a file under the final name.
public enum Safetensors {
    /// The tensors of a file, by name, and its `__metadata__` strings.
    public struct Contents {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]

        public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    /// Reads a whole file.
    public static func load(_ url: URL) throws(SafetensorsError) -> Contents {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SafetensorsError(url, "cannot be read: \(error.localizedDescription)")
        }
        return try decode(data, source: url)
    }

    /// Decodes the bytes of a safetensors file; `source` names it in errors.
    public static func decode(_ data: Data, source: URL) throws(SafetensorsError) -> Contents {
        guard data.count >= 8 else {
            throw SafetensorsError(source, "is \(data.count) bytes long, too short for a safetensors header")
        }
        let headerLength = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(data.count - 8), headerLength <= 100_000_000 else {
            throw SafetensorsError(
                source, "declares a \(headerLength)-byte header but has \(data.count - 8) bytes after the length "
                    + "(truncated, or not a safetensors file)")
        }
        let headerEnd = 8 + Int(headerLength)
        let header: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data[(data.startIndex + 8)..<(data.startIndex + headerEnd)]) as? [String: Any] else {
                throw SafetensorsError(source, "has a header that is not a JSON object")
            }
            header = object
        } catch let error as SafetensorsError {
            throw error
        } catch {
            throw SafetensorsError(source, "has a header that is not valid JSON (corrupt file?)")
        }

        var contents = Contents()
        let payload = data.count - headerEnd
        var ranges: [(range: Range<Int>, name: String)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw SafetensorsError(source, "has __metadata__ that is not a map of strings")
                }
                contents.metadata = strings
                continue
            }
            let entry = try TensorEntry(name: name, json: value, source: source)
            guard entry.end <= payload else {
                throw SafetensorsError(
                    source, "tensor '\(name)' ends at byte \(entry.end) but the data is \(payload) bytes (truncated file?)")
            }
            ranges.append((entry.begin..<entry.end, name))
            let tensor: Tensor
            do {
                tensor = try data.withUnsafeBytes { raw throws(TorchError) in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[(headerEnd + entry.begin)..<(headerEnd + entry.end)])
                    return try Tensor(bytes: bytes, shape: entry.shape, dtype: entry.dtype)
                }
            } catch {
                throw SafetensorsError(source, "tensor '\(name)': \(error)")
            }
            contents.tensors[name] = tensor
        }
        if let problem = SafetensorsTiling.problem(ranges, payload: payload) { throw SafetensorsError(source, problem) }
        return contents
    }

    /// Writes `contents` to `url` atomically, creating the folder if needed.
    public static func save(_ contents: Contents, to url: URL) throws(SafetensorsError) {
        let data = encode(contents)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw SafetensorsError(url, "cannot be written: its folder cannot be created (\(error.localizedDescription))")
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw SafetensorsError(url, "cannot be written: \(error.cause); the file there is unchanged")
        }
    }

    /// The bytes of a safetensors file holding `contents` (tensors sorted by name).
    public static func encode(_ contents: Contents) -> Data {
        var header: [String: Any] = [:]
        if !contents.metadata.isEmpty { header["__metadata__"] = contents.metadata }
        var blobs: [Data] = []
        var offset = 0
        for name in contents.tensors.keys.sorted() {
            let tensor = contents.tensors[name]!
            let blob = tensor.withUnsafeBytes { Data($0) }
            header[name] = [
                "dtype": tensor.dtype.safetensorsName, "shape": tensor.shape,
                "data_offsets": [offset, offset + blob.count],
            ]
            offset += blob.count
            blobs.append(blob)
        }
        var json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8)
        // The format pads the header with spaces so the data starts 8-byte aligned.
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for blob in blobs { out.append(blob) }
        return out
    }
}

/// A safetensors file that cannot be read or written; says which file and why.
public struct SafetensorsError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    init(_ url: URL, _ reason: String) {
        self.path = url.path
        self.reason = reason
    }

    public var description: String { "\(path) \(reason)" }
}

private struct TensorEntry {
    let dtype: DType
    let shape: [Int]
    let begin: Int
    let end: Int

    init(name: String, json: Any, source: URL) throws(SafetensorsError) {
        guard let fields = json as? [String: Any], let code = fields["dtype"] as? String,
            let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int], offsets.count == 2
        else {
            throw SafetensorsError(source, "has a malformed entry for tensor '\(name)'")
        }
        guard let dtype = DType(safetensorsName: code) else {
            throw SafetensorsError(source, "tensor '\(name)' has dtype \(code), which Kinema does not support")
        }
        guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0] else {
            throw SafetensorsError(source, "tensor '\(name)' has a negative size or offsets out of order")
        }
        // The claimed shape may be anything: its byte count is computed without overflow (a
        // product that overflows cannot match the offsets, which lie within the file).
        let (bytes, overflow) = (shape + [dtype.byteCount]).reduce((1, false)) { acc, n in
            let r = acc.0.multipliedReportingOverflow(by: n)
            return (r.partialValue, acc.1 || r.overflow)
        }
        guard !overflow, bytes == offsets[1] - offsets[0] else {
            throw SafetensorsError(
                source, "tensor '\(name)' of shape \(shape) and dtype \(dtype) does not fit its "
                    + "\(offsets[1] - offsets[0]) bytes")
        }
        self.dtype = dtype
        self.shape = shape
        self.begin = offsets[0]
        self.end = offsets[1]
    }
}

extension DType {
    /// The safetensors header's name of the dtype ("F32", "BF16", …).
    public var safetensorsName: String {
        switch self {
        case .uint8: "U8"
        case .int8: "I8"
        case .int16: "I16"
        case .int32: "I32"
        case .int64: "I64"
        case .float16: "F16"
        case .float32: "F32"
        case .float64: "F64"
        case .bool: "BOOL"
        case .bfloat16: "BF16"
        case .unsupported: "unsupported"  // never written: its tensors have no bytes Kinema can read
        }
    }

    public init?(safetensorsName: String) {
        guard let match = DType.allCases.first(where: { $0.safetensorsName == safetensorsName }) else { return nil }
        self = match
    }
}
