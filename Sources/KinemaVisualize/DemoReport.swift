import Foundation
import KinemaFiles

/// One page over several runs — what `kinema demo` writes as its `report.html`: an introduction,
/// then a section per part (a method, a comparison) with its summary rows, tables, pictures and a
/// link to the run's own report. Like ``RunReport``, self-contained (no network, no scripts) and
/// well-formed XML; pictures are paths relative to the page's folder.
///
/// ```swift
/// let page = DemoReport(title: "Kinema demo", introduction: "…", sections: [
///     .init(title: "MoSI", text: "…", summary: [("pretext accuracy", "97 %")],
///           pictures: [.init(path: "mosi/gradcam.gif", caption: "Grad-CAM")], link: "mosi/report.html"),
/// ])
/// try page.write(to: demoFolder)     // demoFolder/report.html
/// ```
public struct DemoReport: Sendable {
    /// A table: a header row and rows of cells (plain text).
    public struct Table: Sendable, Equatable {
        public var caption: String
        public var header: [String]
        public var rows: [[String]]

        public init(caption: String, header: [String], rows: [[String]]) {
            (self.caption, self.header, self.rows) = (caption, header, rows)
        }
    }

    public struct Section: Sendable {
        public var title: String
        /// Paragraphs of plain text.
        public var text: [String]
        public var summary: [(key: String, value: String)]
        public var tables: [Table]
        public var pictures: [RunReport.Picture]
        /// The run's own report (curves, confusion matrices), relative to the page's folder.
        public var link: String?

        public init(
            title: String, text: [String] = [], summary: [(key: String, value: String)] = [], tables: [Table] = [],
            pictures: [RunReport.Picture] = [], link: String? = nil
        ) {
            (self.title, self.text, self.summary, self.tables, self.pictures, self.link) = (title, text, summary, tables, pictures, link)
        }
    }

    public var title: String
    public var introduction: [String]
    public var sections: [Section]

    public init(title: String, introduction: [String] = [], sections: [Section]) {
        (self.title, self.introduction, self.sections) = (title, introduction, sections)
    }

    /// Writes `folder/report.html` (atomically) and returns its URL. A picture that is missing,
    /// absolute or of an unknown type, or a link to a file that does not exist, is an error.
    @discardableResult
    public func write(to folder: URL) throws(VisualizeError) -> URL {
        try RunReport.check(sections.flatMap(\.pictures), in: folder)
        for link in sections.compactMap(\.link) where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(link).path) {
            throw VisualizeError(.missingFile(path: folder.appendingPathComponent(link).path))
        }
        let url = folder.appendingPathComponent("report.html")
        do { try AtomicFile.write(Data(html().utf8), to: url) } catch {
            throw VisualizeError(.writeFailed(path: url.path, why: error.cause))
        }
        return url
    }

    public func html() -> String {
        var body = "<header><h1>\(escapeHTML(title))</h1>\n"
        body += introduction.map { "<p>\(escapeHTML($0))</p>\n" }.joined()
        if sections.count > 1 {
            body += "<nav><ul>" + sections.enumerated().map { i, section in
                "<li><a href=\"#part-\(i + 1)\">\(escapeHTML(section.title))</a></li>"
            }.joined() + "</ul></nav>\n"
        }
        body += "</header>\n"
        for (i, section) in sections.enumerated() {
            body += "<section id=\"part-\(i + 1)\"><h2>\(escapeHTML(section.title))</h2>\n"
            body += section.text.map { "<p>\(escapeHTML($0))</p>\n" }.joined()
            if !section.summary.isEmpty { body += RunReport.summaryTable(section.summary) + "\n" }
            for table in section.tables { body += Self.tableHTML(table) }
            if !section.pictures.isEmpty {
                body += "<div class=\"pictures\">\n" + section.pictures.map(RunReport.figure).joined() + "</div>\n"
            }
            if let link = section.link {
                let href = escapeHTML(link.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? link)
                body += "<p class=\"note\"><a href=\"\(href)\">The run's own report</a>: curves, measures, every picture.</p>\n"
            }
            body += "</section>\n"
        }
        return RunReport.page(title: title, body: body, extraCSS: Self.css)
    }

    private static func tableHTML(_ table: Table) -> String {
        var s = "<div class=\"scroll\"><table class=\"results\">\n<caption>\(escapeHTML(table.caption))</caption>\n<thead><tr>"
        s += table.header.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows { s += "<tr>" + row.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>\n" }
        return s + "</tbody></table></div>\n"
    }

    private static let css = """
        nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
        table.results { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; margin: 12px 0; }
        table.results caption { text-align: left; font-weight: 600; color: #33475b; padding-bottom: 6px; }
        table.results th, table.results td { border: 1px solid #dde3ea; padding: 5px 9px; text-align: left; }
        table.results thead th { background: #f4f6f9; font-weight: 600; }

        """
}
