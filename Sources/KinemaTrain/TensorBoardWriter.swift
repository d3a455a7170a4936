import Foundation
import Synchronization

/// Writes scalars to a TensorBoard event file (`events.out.tfevents.<time>.<host>.<pid>.<n>`) in a
/// folder, which `tensorboard --logdir <folder>` plots; no TensorFlow or protobuf library needed.
/// The serial `n` is zero-padded so that names sort in creation order (TensorBoard reads a
/// folder's files by name, and a resumed run's purge must come after what it purges).
///
/// The file is a sequence of TFRecords (see ``TFRecord``), each a protobuf `Event`
/// (tensorboard/compat/proto/event.proto): the first holds `file_version = "brain.Event:2"`, then
/// one per ``add(scalars:step:wallTime:)`` call with a `Summary` of `simple_value`s. Every record
/// goes to the file in one write, so a crash loses nothing already added.
///
/// ```swift
/// let board = try TensorBoardWriter(folder: run.appendingPathComponent("tensorboard"))
/// try board.add(scalar: loss, tag: "train/loss", step: step)
/// ```
public final class TensorBoardWriter {
    /// The event file being written.
    public let url: URL
    private let handle: FileHandle

    /// Starts a new event file in `folder` (created if needed).
    ///
    /// - Parameter purgeFrom: for a resumed run, the first step it will log again: events at this
    ///   step and later in the folder's older files are hidden, so the plot shows no duplicate
    ///   tail (a `SessionLog` START at that step, as PyTorch's `SummaryWriter(purge_step:)` writes).
    public init(folder: URL, purgeFrom: Int? = nil) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "_")
        let serial = Self.fileSerial.withLock { serial -> Int in
            serial += 1
            return serial
        }
        let name = String(
            format: "events.out.tfevents.%010d.%@.%d.%06d", Int(Date().timeIntervalSince1970), host,
            ProcessInfo.processInfo.processIdentifier, serial)
        url = folder.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)

        var header = Self.event(step: purgeFrom ?? 0, wallTime: Date())
        header.string(3, "brain.Event:2")  // file_version
        try write(header)
        if let purgeFrom {
            var start = ProtobufMessage()
            start.uint64(1, 1)  // SessionLog.status = START
            var event = Self.event(step: purgeFrom, wallTime: Date())
            event.message(7, start)  // session_log
            try write(event)
        }
    }

    deinit { try? handle.close() }

    /// Adds one scalar (`tag` like "train/loss": the part before the slash groups plots).
    public func add(scalar value: Double, tag: String, step: Int, wallTime: Date = Date()) throws {
        try add(scalars: [tag: value], step: step, wallTime: wallTime)
    }

    /// Adds several scalars of one step in one record (tags in sorted order). Values are stored
    /// as 32-bit floats, TensorBoard's `simple_value`.
    public func add(scalars: [String: Double], step: Int, wallTime: Date = Date()) throws {
        var summary = ProtobufMessage()
        for (tag, value) in scalars.sorted(by: { $0.key < $1.key }) {
            var entry = ProtobufMessage()
            entry.string(1, tag)  // Summary.Value.tag
            entry.float(2, Float(value))  // Summary.Value.simple_value
            summary.message(1, entry)  // Summary.value (repeated)
        }
        var event = Self.event(step: step, wallTime: wallTime)
        event.message(5, summary)  // Event.summary
        try write(event)
    }

    /// An `Event` with its wall time (seconds since 1970, field 1) and step (field 2).
    private static func event(step: Int, wallTime: Date) -> ProtobufMessage {
        var event = ProtobufMessage()
        event.double(1, wallTime.timeIntervalSince1970)
        event.int64(2, Int64(step))
        return event
    }

    private func write(_ event: ProtobufMessage) throws {
        try handle.write(contentsOf: TFRecord.frame(event.bytes))
    }

    /// Tells apart the files that one process opens in the same second.
    private static let fileSerial = Mutex(0)
}
