import Foundation
import Testing
@testable import KinemaTrain

@Suite struct TensorBoardWriterTests {
    /// CRC-32C check values: the catalogue's "123456789" and RFC 3720 §B.4's 32-byte vectors.
    @Test func crc32cMatchesPublishedVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum([]) == 0)
    }

    /// The scalar record equals, byte for byte, what TensorBoard's own RecordWriter frames around
    /// protobuf's serialization of the same Event (printed by
    /// `check_tensorboard_python.py --reference-record`):
    ///
    ///     Event(wall_time=1.5, step=7, summary=Summary(value=[Value(tag="train/loss", simple_value=0.25)]))
    @Test func scalarRecordMatchesTensorBoardsOwnWriter() throws {
        let reference =
            "200000000000000029eda95009000000000000f83f10072a130a110a0a747261696e2f6c6f7373150000803ef4985d1a"
        let folder = temporaryFolder("tb-reference")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try TensorBoardWriter(folder: folder)
        try writer.add(scalar: 0.25, tag: "train/loss", step: 7, wallTime: Date(timeIntervalSince1970: 1.5))
        let records = try readEventFile(writer.url)
        #expect(records.count == 2)
        #expect(records.last?.bytes.map { String(format: "%02x", $0) }.joined() == reference)
    }

    @Test func fileReadsBackWithValidFramingAndValues() throws {
        let folder = temporaryFolder("tb-values")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try TensorBoardWriter(folder: folder)
        #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents."))
        var expected: [String: [(Int, Double)]] = [:]
        for step in 1...5 {
            let loss = 2.0 / Double(step)
            try writer.add(scalars: ["train/loss": loss, "train/lr": 0.1 * Double(step)], step: step)
            expected["train/loss", default: []].append((step, loss))
            expected["train/lr", default: []].append((step, 0.1 * Double(step)))
        }
        try writer.add(scalar: -3.5e-4, tag: "validation/accuracy", step: 1_000_000_000_000)
        expected["validation/accuracy"] = [(1_000_000_000_000, -3.5e-4)]

        let events = try readEventFile(writer.url).map(\.event)
        #expect(events.count == 7)
        #expect(events[0].fileVersion == "brain.Event:2")
        #expect(abs(events[0].wallTime - Date().timeIntervalSince1970) < 60)
        #expect(events[1].step == 1)
        #expect(events[1].scalars.map(\.tag) == ["train/loss", "train/lr"])
        #expect(events[1].scalars.map(\.value) == [2, 0.1])
        #expect(events[5].scalars[0].value == 0.4)
        #expect(events[6].step == 1_000_000_000_000)
        #expect(events[6].scalars[0].value == Float(-3.5e-4))
        try keepTensorBoardSample(folder, name: "plain", expected: expected)
    }

    @Test func purgeStepWritesASessionStart() throws {
        let folder = temporaryFolder("tb-purge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try TensorBoardWriter(folder: folder, purgeFrom: 41)
        let events = try readEventFile(writer.url).map(\.event)
        #expect(events.count == 2)
        #expect(events[0].fileVersion == "brain.Event:2" && events[0].step == 41)
        #expect(events[1].sessionStatus == 1 && events[1].step == 41)  // SessionLog.START
    }

    @Test func twoWritersInOneFolderUseTwoFiles() throws {
        let folder = temporaryFolder("tb-two")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try TensorBoardWriter(folder: folder)
        let second = try TensorBoardWriter(folder: folder)
        #expect(first.url != second.url)
        #expect(try eventFiles(in: folder).count == 2)
    }

    @Test func readerNoticesACorruptedRecord() throws {
        let folder = temporaryFolder("tb-corrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try TensorBoardWriter(folder: folder)
        try writer.add(scalar: 1, tag: "x", step: 1)
        var bytes = try Data(contentsOf: writer.url)
        bytes[bytes.count - 8] ^= 0x01  // inside the last record's float
        try bytes.write(to: writer.url)
        #expect(throws: EventFileError.self) { try readEventFile(writer.url) }
    }
}
