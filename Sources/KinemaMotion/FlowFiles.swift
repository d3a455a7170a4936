import Foundation

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

    /// Reads a Middlebury `.flo` file, checking its tag, size and length.
    public init(contentsOfMiddlebury url: URL) throws(MotionError) {
        let op = "reading .flo"
        let data = try readFile(url, op)
        func bad(_ why: String) -> MotionError { MotionError(op, .badFile(path: url.path, why: why)) }
        guard data.count >= 12 else { throw bad("\(data.count) bytes is too short for a .flo header") }
        let tag = Float(bitPattern: data.littleEndianUInt32(at: 0))
        guard tag == Self.middleburyTag else { throw bad("not a Middlebury .flo file (tag \(tag), expected 202021.25)") }
        let w = Int(Int32(bitPattern: data.littleEndianUInt32(at: 4))), h = Int(Int32(bitPattern: data.littleEndianUInt32(at: 8)))
        guard w > 0, h > 0, w < 100_000, h < 100_000 else { throw bad("implausible size \(w)x\(h)") }
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

    /// Writes flow fields of one size as a float16 safetensors file ([frames, height, width, 2]).
    public static func writeFloat16(_ flows: [FlowField], to url: URL, metadata: [String: String] = [:]) throws(MotionError) {
        let op = "writing float16 flow"
        guard let first = flows.first else { throw MotionError(op, .invalidParameter("no flow fields to write")) }
        guard flows.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw MotionError(op, .sizeMismatch("all fields of a float16 flow file must have one size"))
        }
        var payload = Data(capacity: flows.count * first.vectors.count * 2)
        for flow in flows { for value in flow.vectors { payload.appendLittleEndian(Float16(value).bitPattern) } }
        let tensor = SafetensorsFile.Tensor(name: "flow", dtype: "F16", shape: [flows.count, first.height, first.width, 2], data: payload)
        try writeFile(SafetensorsFile.encode([tensor], metadata: metadata), url, op)
    }

    /// Reads a float16 (or float32) safetensors flow file written by ``writeFloat16(_:to:metadata:)``.
    public static func readFloat16(_ url: URL) throws(MotionError) -> [FlowField] {
        let op = "reading float16 flow"
        let data = try readFile(url, op)
        let tensors: [String: SafetensorsFile.Tensor]
        do { tensors = try SafetensorsFile.decode(data) } catch { throw MotionError(op, .badFile(path: url.path, why: error.why)) }
        guard let flow = tensors["flow"], flow.shape.count == 4, flow.shape[3] == 2, flow.shape[1] > 0, flow.shape[2] > 0 else {
            throw MotionError(op, .badFile(path: url.path, why: "no tensor 'flow' of shape [frames, height, width, 2]"))
        }
        let (t, h, w) = (flow.shape[0], flow.shape[1], flow.shape[2])
        let values: [Float]
        switch flow.dtype {
        case "F16": values = (0..<(t * h * w * 2)).map { Float(Float16(bitPattern: flow.data.littleEndianUInt16(at: 2 * $0))) }
        case "F32": values = (0..<(t * h * w * 2)).map { Float(bitPattern: flow.data.littleEndianUInt32(at: 4 * $0)) }
        default: throw MotionError(op, .badFile(path: url.path, why: "dtype \(flow.dtype), expected F16 or F32"))
        }
        let n = h * w * 2
        return (0..<t).map { FlowField(width: w, height: h, vectors: Array(values[($0 * n)..<(($0 + 1) * n)])) }
    }
}

func readFile(_ url: URL, _ op: String) throws(MotionError) -> Data {
    guard FileManager.default.fileExists(atPath: url.path) else { throw MotionError(op, .badFile(path: url.path, why: "no such file")) }
    do { return try Data(contentsOf: url) } catch { throw MotionError(op, .badFile(path: url.path, why: error.localizedDescription)) }
}

func writeFile(_ data: Data, _ url: URL, _ op: String) throws(MotionError) {
    do { try data.write(to: url, options: .atomic) } catch {
        throw MotionError(op, .badFile(path: url.path, why: "cannot write: \(error.localizedDescription)"))
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
