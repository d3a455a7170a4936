import Foundation
import Testing

/// One row of the bad-input matrix (docs/robustness.md): an input a user can hand Kinema, the
/// reader that took it, and what happened — a clear error, a warning, or a documented acceptance.
/// Crashes never appear as rows: one would end the test process, which is the check.
struct MatrixRow {
    enum Result: String {
        case rejected = "error"
        case warned = "warning"
        case accepted = "read"
    }
    let input: String
    let reader: String
    let result: Result
    let message: String
}

/// The rows of one input class, checked as they are made and written as a Markdown table into
/// `$KINEMA_ROBUSTNESS_TABLE/<class>.md` when that folder is set (`make robustness-table` gathers
/// them into docs/robustness-cases.md), so the document shows what the code does.
final class Matrix {
    let inputClass: String
    private(set) var rows: [MatrixRow] = []

    init(_ inputClass: String) { self.inputClass = inputClass }

    /// `body` must throw an error whose message names `file` (its last path component) and, when
    /// given, contains `mentioning`.
    func rejects(
        _ input: String, _ reader: String, file: URL, mentioning: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("\(input): \(reader) accepted it", sourceLocation: sourceLocation)
            rows.append(MatrixRow(input: input, reader: reader, result: .accepted, message: "NOT REJECTED"))
        } catch {
            let message = "\(error)"
            #expect(message.contains(file.lastPathComponent), "\(input): the message does not name the file: \(message)", sourceLocation: sourceLocation)
            if let mentioning {
                #expect(message.contains(mentioning), "\(input): expected “\(mentioning)” in: \(message)", sourceLocation: sourceLocation)
            }
            rows.append(MatrixRow(input: input, reader: reader, result: .rejected, message: message))
        }
    }

    /// `body` must succeed; `note` says what was read (and any warning it gave).
    func accepts(
        _ input: String, _ reader: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> String
    ) {
        do {
            rows.append(MatrixRow(input: input, reader: reader, result: .accepted, message: try body()))
        } catch {
            Issue.record("\(input): \(reader) failed: \(error)", sourceLocation: sourceLocation)
            rows.append(MatrixRow(input: input, reader: reader, result: .rejected, message: "UNEXPECTED: \(error)"))
        }
    }

    /// `body` must succeed and return the warning it gave (nil: it gave none, which fails).
    func warns(
        _ input: String, _ reader: String, mentioning: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> String?
    ) {
        do {
            guard let warning = try body() else {
                Issue.record("\(input): \(reader) gave no warning", sourceLocation: sourceLocation)
                return
            }
            #expect(warning.contains(mentioning), "\(input): expected “\(mentioning)” in: \(warning)", sourceLocation: sourceLocation)
            rows.append(MatrixRow(input: input, reader: reader, result: .warned, message: warning))
        } catch {
            Issue.record("\(input): \(reader) failed: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// A damaged input that may either fail to open (a clear error naming the file) or open and
    /// warn (`body` returns its warning); silent success fails.
    func rejectsOrWarns(
        _ input: String, _ reader: String, file: URL, mentioning: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> String?
    ) {
        do {
            guard let warning = try body() else {
                Issue.record("\(input): \(reader) read it without a word", sourceLocation: sourceLocation)
                rows.append(MatrixRow(input: input, reader: reader, result: .accepted, message: "SILENT"))
                return
            }
            #expect(warning.contains(mentioning), "\(input): expected “\(mentioning)” in: \(warning)", sourceLocation: sourceLocation)
            rows.append(MatrixRow(input: input, reader: reader, result: .warned, message: warning))
        } catch {
            let message = "\(error)"
            #expect(message.contains(file.lastPathComponent), "\(input): the message does not name the file: \(message)", sourceLocation: sourceLocation)
            rows.append(MatrixRow(input: input, reader: reader, result: .rejected, message: message))
        }
    }

    /// Writes the table when `KINEMA_ROBUSTNESS_TABLE` names a folder.
    func publish(folder scratch: URL) throws {
        guard let path = ProcessInfo.processInfo.environment["KINEMA_ROBUSTNESS_TABLE"] else { return }
        let table = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: table, withIntermediateDirectories: true)
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: scratch.path + "/", with: "")
                .replacingOccurrences(of: badMedia("").path + "/", with: "")
                .replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var text = "### \(inputClass)\n\n| input | reader | result | message |\n|---|---|---|---|\n"
        for row in rows { text += "| \(cell(row.input)) | \(row.reader) | \(row.result.rawValue) | \(cell(row.message)) |\n" }
        try Data((text + "\n").utf8).write(to: table.appendingPathComponent("\(inputClass).md"))
    }
}

/// A scratch folder for one input class's files, removed at the end.
final class Scratch {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-bad-\(UUID().uuidString)")
    init() { try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    func file(_ name: String, _ bytes: Data? = nil) throws -> URL {
        let file = url.appendingPathComponent(name)
        if let bytes { try bytes.write(to: file) }
        return file
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic bytes that are no known format (a fixed-seed LCG).
func garbage(_ count: Int, seed: UInt32 = 12345) -> Data {
    var state = seed
    return Data((0..<count).map { _ in
        state = state &* 1_664_525 &+ 1_013_904_223
        return UInt8(truncatingIfNeeded: state >> 24)
    })
}

/// The committed media of Tools/fixtures/gen_bad_media.py.
func badMedia(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bad-inputs/\(name)")
}
