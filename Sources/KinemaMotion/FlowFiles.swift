import Foundation
import KinemaFiles

/// On-disk formats for flow fields.
public enum FlowFileFormat: Sendable, Equatable {
    /// Middlebury `.flo`: the bytes "PIEH" (float 202021.25), int32 width, int32 height, then
    /// width × height × (u, v) float32, all little-endian. Lossless.
    case middlebury
    /// Kinema's lossless-at-half-precision format: a safetensors file with one F16 tensor "flow" of
    /// shape [frames, height, width, 2] (u, v), readable with `safetensors.numpy.load_file`.
    /// Half precision keeps 11 significant bits: under 0.008 px of error for |f| < 16 px.
    case float16
}

extension FlowField {
    private static let middleburyTag: Float = 202021.25
    /// The largest width or height a flow file may claim: far beyond any video, and small enough
    /// that sizes computed from it cannot overflow.
    static let largestFileSide = 100_000

    /// Reads a Middlebury `.flo` file, checking its tag, size and length.
    public init(contentsOfMiddlebury url: URL) throws(MotionError) {
        let op = "reading .flo"
        let data = try readFile(url, op)
        func bad(_ why: String) -> MotionError { MotionError(op, .badFile(path: url.path, why: why)) }
        guard data.count >= 12 else { throw bad("\(data.count) bytes is too short for a .flo header") }
        let tag = Float(bitPattern: data.littleEndianUInt32(at: 0))
        guard tag == Self.middleburyTag else { throw bad("not a Middlebury .flo file (tag \(tag), expected 202021.25)") }
        let w = Int(Int32(bitPattern: data.littleEndianUInt32(at: 4))), h = Int(Int32(bitPattern: data.littleEndianUInt32(at: 8)))
        guard w > 0, h > 0, w <= Self.largestFileSide, h <= Self.largestFileSide else { throw bad("implausible size \(w)x\(h)") }
        guard data.count == 12 + w * h * 8 else { throw bad("\(data.count - 12) data bytes, a \(w)x\(h) field needs \(w * h * 8) (truncated?)") }
        let vectors = (0..<(w * h * 2)).map { Float(bitPattern: data.littleEndianUInt32(at: 12 + 4 * $0)) }
        self.init(width: w, height: h, vectors: vectors)
    }

    /// Writes a Middlebury `.flo` file (atomically).
    public func writeMiddlebury(to url: URL) throws(MotionError) {
        var data = Data(capacity: 12 + vectors.count * 4)
        data.appendLittleEndian(Self.middleburyTag.bitPattern)
        data.appendLittleEndian(UInt32(width))
        data.appendLittleEndian(UInt32(height))
        for value in vectors { data.appendLittleEndian(value.bitPattern) }
        try writeFile(data, url, "writing .flo")
    }

    /// Writes flow fields of one size as a float16 safetensors file ([frames, height, width, 2]),
    /// with each field's checksum in the metadata (``FlowFieldFile/checksumKey``).
    public static func writeFloat16(_ flows: [FlowField], to url: URL, metadata: [String: String] = [:]) throws(MotionError) {
        let op = "writing float16 flow"
        guard let first = flows.first else { throw MotionError(op, .invalidParameter("no flow fields to write")) }
        guard flows.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw MotionError(op, .sizeMismatch("all fields of a float16 flow file must have one size"))
        }
        let fieldBytes = first.vectors.count * 2
        var payload = Data(capacity: flows.count * fieldBytes)
        for flow in flows { for value in flow.vectors { payload.appendLittleEndian(Float16(value).bitPattern) } }
        var metadata = metadata
        metadata[FlowFieldFile.checksumKey] = (0..<flows.count).map { i in
            String(FlowFieldFile.checksum(payload[(i * fieldBytes)..<((i + 1) * fieldBytes)]), radix: 16)
        }.joined(separator: ",")
        let tensor = SafetensorsFile.Tensor(name: "flow", dtype: "F16", shape: [flows.count, first.height, first.width, 2], data: payload)
        try writeFile(SafetensorsFile.encode([tensor], metadata: metadata), url, op)
    }

    /// Reads a float16 (or float32) safetensors flow file written by ``writeFloat16(_:to:metadata:)``.
    public static func readFloat16(_ url: URL) throws(MotionError) -> [FlowField] {
        let file = try FlowFieldFile(url)
        return try file.fields(0..<file.count)
    }
}

/// A safetensors flow file (``FlowFileFormat/float16``) opened for reading some of its fields:
/// memory-mapped, so reading a few fields of a long video touches only their bytes, and each field
/// read is checked against its checksum when the file has them (files Kinema writes do).
public struct FlowFieldFile: @unchecked Sendable {
    /// The metadata key of the per-field checksums: FNV-1a 64 of each field's bytes, hexadecimal,
    /// comma-separated.
    public static let checksumKey = "field_fnv1a64"

    public let url: URL
    public let metadata: [String: String]
    /// Fields, and their size.
    public let count: Int
    public let width: Int
    public let height: Int
    private let data: Data
    private let payload: Range<Int>
    private let elementBytes: Int
    private let checksums: [UInt64]?

    public init(_ url: URL) throws(MotionError) {
        let op = "reading float16 flow"
        guard FileManager.default.fileExists(atPath: url.path) else { throw MotionError(op, .badFile(path: url.path, why: "no such file")) }
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw MotionError(op, .badFile(path: url.path, why: error.localizedDescription))
        }
        func bad(_ why: String) -> MotionError { MotionError(op, .badFile(path: url.path, why: why)) }
        let entries: [String: (dtype: String, shape: [Int], bytes: Range<Int>)]
        do { (entries, metadata) = (try SafetensorsFile.entries(data), try SafetensorsFile.metadata(data)) } catch { throw bad(error.why) }
        guard let flow = entries["flow"], flow.shape.count == 4, flow.shape[3] == 2, flow.shape[1] > 0, flow.shape[2] > 0 else {
            throw bad("no tensor 'flow' of shape [frames, height, width, 2]")
        }
        // A file of no frames fits any claimed field size: bound it before sizes are computed from it.
        guard flow.shape[1] <= FlowField.largestFileSide, flow.shape[2] <= FlowField.largestFileSide else {
            throw bad("implausible field size \(flow.shape[2])x\(flow.shape[1])")
        }
        guard flow.dtype == "F16" || flow.dtype == "F32" else { throw bad("dtype \(flow.dtype), expected F16 or F32") }
        (self.url, count, height, width) = (url, flow.shape[0], flow.shape[1], flow.shape[2])
        (payload, elementBytes) = (flow.bytes, flow.dtype == "F16" ? 2 : 4)
        if let text = metadata[Self.checksumKey] {
            let values = text.split(separator: ",").compactMap { UInt64($0, radix: 16) }
            guard values.count == count else { throw bad("\(values.count) field checksums for \(count) fields") }
            checksums = values
        } else {
            checksums = nil
        }
    }

    /// Fields `range`, each checked against its checksum (a mismatch throws: the file is corrupt).
    public func fields(_ range: Range<Int>) throws(MotionError) -> [FlowField] {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw MotionError("reading float16 flow", .badFile(path: url.path, why: "fields \(range) of \(count)"))
        }
        let values = width * height * 2, fieldBytes = width * height * 2 * elementBytes
        var fields: [FlowField] = []
        for i in range {
            let start = payload.lowerBound + i * fieldBytes
            let bytes = data[start..<(start + fieldBytes)]
            if let checksums, Self.checksum(bytes) != checksums[i] {
                throw MotionError("reading float16 flow", .badFile(path: url.path, why: "field \(i) does not match its checksum (corrupt)"))
            }
            let vectors = bytes.withUnsafeBytes { raw in
                elementBytes == 2
                    ? (0..<values).map { Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))) }
                    : (0..<values).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
            fields.append(FlowField(width: width, height: height, vectors: vectors))
        }
        return fields
    }

    /// FNV-1a, 64 bits: cheap, and enough to catch a torn or flipped file (not an adversary).
    static func checksum(_ bytes: Data) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            raw.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { hash, byte in (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
    }
}

func readFile(_ url: URL, _ op: String) throws(MotionError) -> Data {
    guard FileManager.default.fileExists(atPath: url.path) else { throw MotionError(op, .badFile(path: url.path, why: "no such file")) }
    do { return try Data(contentsOf: url) } catch { throw MotionError(op, .badFile(path: url.path, why: error.localizedDescription)) }
}

func writeFile(_ data: Data, _ url: URL, _ op: String) throws(MotionError) {
    do { try AtomicFile.write(data, to: url) } catch {
        throw MotionError(op, .badFile(path: url.path, why: "cannot write: \(error.cause)"))
    }
}

extension Data {
    func littleEndianUInt32(at offset: Int) -> UInt32 {
        let base = startIndex + offset
        return UInt32(self[base]) | UInt32(self[base + 1]) << 8 | UInt32(self[base + 2]) << 16 | UInt32(self[base + 3]) << 24
    }

    func littleEndianUInt16(at offset: Int) -> UInt16 {
        let base = startIndex + offset
        return UInt16(self[base]) | UInt16(self[base + 1]) << 8
    }

    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
