import Foundation
@testable import KinemaTrain

/// One `Event` read back from an event file (only the fields Kinema writes).
struct ReadEvent {
    var wallTime = 0.0
    var step: Int64 = 0
    var fileVersion: String?
    var scalars: [(tag: String, value: Float)] = []
    /// SessionLog.status (1 = START) when the event is a session log.
    var sessionStatus: UInt64?
}

struct EventFileError: Error, CustomStringConvertible {
    let description: String
}

/// Splits a TFRecord file into records, checking every length and data CRC, and decodes each
/// as an `Event` (a test-side reader: the writer's framing checked from the other end).
func readEventFile(_ url: URL) throws -> [(bytes: [UInt8], event: ReadEvent)] {
    let data = [UInt8](try Data(contentsOf: url))
    var records: [(bytes: [UInt8], event: ReadEvent)] = []
    var offset = 0
    while offset < data.count {
        guard offset + 12 <= data.count else { throw EventFileError(description: "truncated header at \(offset)") }
        let lengthBytes = Array(data[offset..<(offset + 8)])
        let length = Int(littleEndian(lengthBytes))
        guard UInt32(littleEndian(Array(data[(offset + 8)..<(offset + 12)]))) == CRC32C.masked(lengthBytes) else {
            throw EventFileError(description: "length CRC mismatch at \(offset)")
        }
        let end = offset + 12 + length + 4
        guard end <= data.count else { throw EventFileError(description: "truncated record at \(offset)") }
        let payload = Array(data[(offset + 12)..<(offset + 12 + length)])
        guard UInt32(littleEndian(Array(data[(end - 4)..<end]))) == CRC32C.masked(payload) else {
            throw EventFileError(description: "data CRC mismatch at \(offset)")
        }
        records.append((Array(data[offset..<end]), try decodeEvent(payload)))
        offset = end
    }
    return records
}

private func littleEndian(_ bytes: [UInt8]) -> UInt64 {
    bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
}

/// Protobuf fields of a message: (field number, varint value or raw bytes).
private func fields(_ bytes: [UInt8]) throws -> [(field: Int, varint: UInt64, bytes: [UInt8])] {
    var result: [(Int, UInt64, [UInt8])] = []
    var i = 0
    func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < bytes.count else { throw EventFileError(description: "truncated varint") }
            let byte = bytes[i]
            i += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
    func take(_ n: Int) throws -> [UInt8] {
        guard i + n <= bytes.count else { throw EventFileError(description: "truncated field") }
        defer { i += n }
        return Array(bytes[i..<(i + n)])
    }
    while i < bytes.count {
        let key = try varint()
        let field = Int(key >> 3)
        switch key & 7 {
        case 0: result.append((field, try varint(), []))
        case 1: result.append((field, 0, try take(8)))
        case 2: result.append((field, 0, try take(Int(try varint()))))
        case 5: result.append((field, 0, try take(4)))
        default: throw EventFileError(description: "unexpected wire type \(key & 7)")
        }
    }
    return result
}

private func decodeEvent(_ bytes: [UInt8]) throws -> ReadEvent {
    var event = ReadEvent()
    for f in try fields(bytes) {
        switch f.field {
        case 1: event.wallTime = Double(bitPattern: littleEndian(f.bytes))
        case 2: event.step = Int64(bitPattern: f.varint)
        case 3: event.fileVersion = String(decoding: f.bytes, as: UTF8.self)
        case 5:
            for value in try fields(f.bytes) where value.field == 1 {
                var tag = ""
                var scalar: Float = .nan
                for part in try fields(value.bytes) {
                    if part.field == 1 { tag = String(decoding: part.bytes, as: UTF8.self) }
                    if part.field == 2 { scalar = Float(bitPattern: UInt32(littleEndian(part.bytes))) }
                }
                event.scalars.append((tag, scalar))
            }
        case 7: event.sessionStatus = try fields(f.bytes).first { $0.field == 1 }?.varint
        default: throw EventFileError(description: "unexpected Event field \(f.field)")
        }
    }
    return event
}

/// The event files in `folder`, oldest first.
func eventFiles(in folder: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        .filter { $0.lastPathComponent.contains("tfevents") }.sorted { $0.lastPathComponent < $1.lastPathComponent }
}

/// A fresh temporary folder, removed by the caller.
func temporaryFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("kinema-\(name)-\(UInt64.random(in: 0...UInt64.max))")
}

/// With KINEMA_TENSORBOARD_SAMPLE set, copies `folder`'s event files and the scalars a test
/// expects TensorBoard to show (`tag: [[step, value]]`) to `$KINEMA_TENSORBOARD_SAMPLE/<name>`,
/// for Tools/fixtures/check_tensorboard_python.py.
func keepTensorBoardSample(_ folder: URL, name: String, expected: [String: [(Int, Double)]]) throws {
    guard let root = ProcessInfo.processInfo.environment["KINEMA_TENSORBOARD_SAMPLE"] else { return }
    let sample = URL(fileURLWithPath: root).appendingPathComponent(name)
    try? FileManager.default.removeItem(at: sample)
    try FileManager.default.createDirectory(at: sample, withIntermediateDirectories: true)
    for file in try eventFiles(in: folder) {
        try FileManager.default.copyItem(at: file, to: sample.appendingPathComponent(file.lastPathComponent))
    }
    let json = expected.mapValues { $0.map { [Double($0.0), $0.1] } }
    try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: sample.appendingPathComponent("expected.json"))
}
