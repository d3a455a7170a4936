import Foundation

/// The text of an annotation file as numbered lines (blank lines dropped, `\r\n` and a UTF-8 byte
/// order mark tolerated: split files are often edited on Windows).
struct AnnotationFile {
    let url: URL
    /// (1-based line number, text without surrounding white space).
    let lines: [(number: Int, text: String)]

    init(_ url: URL) throws(DatasetError) {
        self.url = url
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DatasetError(
                url.path,
                FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such annotation file")
        }
        // UTF-8, or Latin-1 (old split files) when no control byte says the file is binary.
        let binary = data.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        guard let text = String(data: data, encoding: .utf8) ?? (binary ? nil : String(data: data, encoding: .isoLatin1)) else {
            throw DatasetError(url.path, "is not a text file (not UTF-8, and it holds control bytes): annotation lists are text")
        }
        // `\r\n` is one Character in Swift: split on every newline character, not on "\n".
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap {
            index, line in
            let trimmed = line.trimmingCharacters(
                in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
            return trimmed.isEmpty ? nil : (index + 1, trimmed)
        }
    }

    /// The contents of a JSON annotation file.
    static func json(_ url: URL) throws(DatasetError) -> Any {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DatasetError(
                url.path,
                FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "no such annotation file")
        }
        do { return try JSONSerialization.jsonObject(with: data) } catch {
            throw DatasetError(url.path, "is not valid JSON (\(error.localizedDescription))")
        }
    }
}

extension String {
    /// The text before and after the last run of white space (`"a b c 3"` → `("a b c", "3")`), or
    /// nil when there is none: split-file rows end in a number, and paths may hold spaces.
    func splitAtLastWhitespace() -> (head: String, tail: String)? {
        guard let space = lastIndex(where: \.isWhitespace) else { return nil }
        let head = self[..<space].trimmingCharacters(in: .whitespaces)
        let tail = String(self[index(after: space)...])
        return head.isEmpty ? nil : (head, tail)
    }

    /// Comma-separated fields with RFC 4180 quoting (`"a, b",c` → `a, b` and `c`; `""` inside
    /// quotes is a quote), each trimmed.
    func csvFields() -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var justClosed = false
        for c in self {
            switch (c, quoted) {
            case ("\"", true):
                quoted = false
                justClosed = true
                continue
            case ("\"", false):
                if justClosed { field.append("\"") }
                quoted = true
            case (",", false):
                fields.append(field)
                field = ""
            default:
                field.append(c)
            }
            justClosed = false
        }
        fields.append(field)
        return fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
