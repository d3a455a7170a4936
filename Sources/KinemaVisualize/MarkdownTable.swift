import Foundation

/// The pipe tables of a Markdown document, read back (what `make results` writes into
/// docs/results.md, shown again in the demo's report).
public enum MarkdownTable {
    /// The first table after the heading line `heading` (e.g. "### Top-1 accuracy (%)"), or nil
    /// when there is no such heading or no table under it before the next heading. Cells keep
    /// their text with Markdown emphasis (`**`) and code marks (`` ` ``) removed.
    public static func first(under heading: String, in markdown: String, caption: String? = nil) -> DemoReport.Table? {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = lines.firstIndex(of: heading) else { return nil }
        var rows: [[String]] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("#") { break }
            if line.hasPrefix("|") {
                rows.append(cells(line))
            } else if !rows.isEmpty {
                break
            }
        }
        // A table is a header, the |---| delimiter row and at least one row.
        guard rows.count >= 3, rows[1].allSatisfy({ $0.allSatisfy { "-:".contains($0) } && !$0.isEmpty }) else { return nil }
        let title = caption ?? heading.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
        return DemoReport.Table(caption: title, header: rows[0], rows: Array(rows[2...]))
    }

    private static func cells(_ line: String) -> [String] {
        var inner = Substring(line).dropFirst()
        if inner.hasSuffix("|") { inner = inner.dropLast() }
        return inner.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "").trimmingCharacters(in: .whitespaces)
        }
    }
}
