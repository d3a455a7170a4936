import Foundation
import KinemaFiles

/// A run's `report.html`: one self-contained page (no network, no scripts) with a summary table,
/// the loss/accuracy/… curves as inline SVG, the latest confusion matrix of each split as a
/// coloured table with per-class accuracy, and the run's pictures embedded by relative path.
///
/// The page is also well-formed XML (void elements self-closed, boolean attributes given values),
/// so tools and tests can parse it.
///
/// ```swift
/// let report = RunReport(
///     title: "MoSI on UCF101",
///     summary: [("final accuracy", "0.71"), ("chance", "0.111"), ("steps", "2400")],
///     pictures: [.init(path: "gradcam.mp4", caption: "Grad-CAM, conv5"), .init(path: "gradcam-grid.png")],
///     chance: 1.0 / 9)
/// try report.write(runFolder: run)     // reads run/metrics.jsonl, writes run/report.html
/// ```
public struct RunReport: Sendable {
    /// A picture in the run folder: PNG, JPEG, GIF, WebP or SVG (shown as an image) or MP4/WebM
    /// (shown as a looping, muted video).
    public struct Picture: Sendable, Equatable {
        /// Relative to the run folder, e.g. `"gradcam.mp4"` or `"samples/speeds.gif"`.
        public var path: String
        public var caption: String

        public init(path: String, caption: String? = nil) {
            self.path = path
            self.caption = caption ?? path
        }

        /// The pictures of `candidates` (path, caption) that exist in `folder`, in order: a run
        /// interrupted before its last validation has only its first GIFs.
        public static func existing(_ candidates: [(path: String, caption: String)], in folder: URL) -> [Picture] {
            candidates.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0.path).path) }
                .map { Picture(path: $0.path, caption: $0.caption) }
        }
    }

    /// The summary rows every pretraining report ends with: steps, the trainer's wait for data, time.
    public static func trainingRows(steps: Int, clipsPerStep: Int, dataWaitFraction: Double, seconds: Double) -> [(String, String)] {
        [
            ("steps", "\(steps) of \(clipsPerStep) clips"),
            ("trainer waiting for data", String(format: "%.1f%%", dataWaitFraction * 100)),
            ("time", String(format: "%.0f s", seconds)),
        ]
    }

    public var title: String
    /// Key/value rows of the summary table, in order (final accuracy, chance, steps, time, …).
    public var summary: [(key: String, value: String)]
    public var pictures: [Picture]
    /// Chance accuracy, drawn as a dashed line on the accuracy charts; nil draws none.
    public var chance: Double?

    public init(
        title: String = "Kinema run", summary: [(key: String, value: String)] = [], pictures: [Picture] = [],
        chance: Double? = nil
    ) {
        self.title = title
        self.summary = summary
        self.pictures = pictures
        self.chance = chance
    }

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "svg"]
    static let videoExtensions: Set<String> = ["mp4", "webm"]

    /// Reads `runFolder/metrics.jsonl` and writes `runFolder/report.html` (atomically); returns its
    /// URL. A missing or malformed metrics file, or a picture that is missing, absolute or of an
    /// unknown type, is an error.
    @discardableResult
    public func write(runFolder: URL) throws(VisualizeError) -> URL {
        let metrics = try MetricsHistory.load(runFolder.appendingPathComponent("metrics.jsonl"))
        try Self.check(pictures, in: runFolder)
        let url = runFolder.appendingPathComponent("report.html")
        do { try AtomicFile.write(Data(html(metrics).utf8), to: url) } catch {
            throw VisualizeError(.writeFailed(path: url.path, why: error.cause))
        }
        return url
    }

    /// The page for `metrics`, pictures referenced as given (not checked on disk).
    public func html(_ metrics: MetricsHistory) -> String {
        var body = "<header><h1>\(escapeHTML(title))</h1></header>\n"
        if !summary.isEmpty {
            body += "<section><h2>Summary</h2>\n\(Self.summaryTable(summary))</section>\n"
        }
        let charts = metrics.metrics.map { chart($0, metrics) }.filter { !$0.isEmpty }
        if !charts.isEmpty {
            body += "<section><h2>Curves</h2>\n<div class=\"charts\">\n\(charts.joined(separator: "\n"))\n</div>"
            body += "<p class=\"note\">Curves of more than \(LineChart.maximumPoints) points show the means of "
                + "\(LineChart.maximumPoints) equal buckets.</p></section>\n"
        }
        for split in metrics.confusions.keys.sorted(by: Self.splitOrder) {
            body += confusionSection(metrics.confusions[split]!)
        }
        if !pictures.isEmpty {
            body += "<section><h2>Pictures</h2>\n<div class=\"pictures\">\n"
            for picture in pictures { body += Self.figure(picture) }
            body += "</div></section>\n"
        }
        return Self.page(title: title, body: body)
    }

    /// A whole page around `body`, with the reports' style sheet.
    static func page(title: String, body: String, extraCSS: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(escapeHTML(title))</title>
        <style>\(css)\(extraCSS)</style>
        </head>
        <body>
        \(body)<footer>Written by Kinema.</footer>
        </body>
        </html>

        """
    }

    /// The key/value rows as the summary table.
    static func summaryTable(_ rows: [(key: String, value: String)]) -> String {
        "<table class=\"summary\">\n"
            + rows.map { "<tr><th>\(escapeHTML($0.key))</th><td>\(escapeHTML($0.value))</td></tr>\n" }.joined()
            + "</table>"
    }

    /// Every picture must be of a known type, relative (the page moves with its folder) and exist
    /// in `folder`.
    static func check(_ pictures: [Picture], in folder: URL) throws(VisualizeError) {
        for picture in pictures {
            try checkType(picture)
            guard !picture.path.hasPrefix("/") else {
                throw .invalid("picture '\(picture.path)' must be relative to the report's folder, so the report moves with it")
            }
            let file = folder.appendingPathComponent(picture.path)
            guard FileManager.default.fileExists(atPath: file.path) else { throw VisualizeError(.missingFile(path: file.path)) }
        }
    }

    private func chart(_ metric: String, _ metrics: MetricsHistory) -> String {
        let bySplit = metrics.series[metric] ?? [:]
        let splits = bySplit.keys.sorted(by: Self.splitOrder)
        let values = bySplit.values.joined().map(\.value)
        let isAccuracy = metric.contains("acc")
        let unitRange = isAccuracy && values.allSatisfy { (0...1).contains($0) }
        let title = metric == "lr" ? "learning rate" : metric.replacingOccurrences(of: "_", with: " ")
        return LineChart(
            title: title, yLabel: title,
            series: splits.enumerated().map { i, split in
                LineChart.Series(name: split, color: Self.color(of: split, index: i), points: bySplit[split]!)
            },
            yRange: unitRange ? 0...1 : nil,
            references: isAccuracy ? chance.map { [("chance \(Self.format($0))", $0)] } ?? [] : []
        ).svg()
    }

    private func confusionSection(_ matrix: ConfusionMatrix) -> String {
        let overall = matrix.accuracy.map { " — accuracy \(Self.percent($0))" } ?? ""
        var s = "<section><h2>Confusion matrix: \(escapeHTML(matrix.split)), step \(matrix.step)\(overall)</h2>\n"
        s += "<div class=\"scroll\"><table class=\"confusion\">\n<thead><tr><th class=\"corner\">true \\ predicted</th>"
        for label in matrix.labels { s += "<th>\(escapeHTML(label))</th>" }
        s += "<th class=\"class-accuracy\">accuracy</th></tr></thead>\n<tbody>\n"
        for (t, row) in matrix.counts.enumerated() {
            let total = row.reduce(0, +)
            s += "<tr><th>\(escapeHTML(matrix.labels[t]))</th>"
            for (p, count) in row.enumerated() {
                // Shade by the fraction of the true class (row-normalised), as in scikit-learn's plots.
                let fraction = total > 0 ? Double(count) / Double(total) : 0
                let ink = fraction > 0.55 ? "#fff" : "#1b2733"
                let diagonal = p == t ? " class=\"diagonal\"" : ""
                s += "<td\(diagonal) style=\"background:rgba(31,119,180,\(String(format: "%.3f", fraction)));color:\(ink)\">\(count)</td>"
            }
            let accuracy = matrix.classAccuracy[t].map(Self.percent) ?? "–"
            s += "<td class=\"class-accuracy\">\(accuracy)</td></tr>\n"
        }
        return s + "</tbody></table></div></section>\n"
    }

    static func figure(_ picture: Picture) -> String {
        let source = escapeHTML(picture.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? picture.path)
        let caption = escapeHTML(picture.caption)
        let media = Self.videoExtensions.contains(picture.fileExtension)
            ? "<video src=\"\(source)\" controls=\"\" autoplay=\"\" loop=\"\" muted=\"\" playsinline=\"\"></video>"
            : "<img src=\"\(source)\" alt=\"\(caption)\"/>"
        return "<figure>\(media)<figcaption>\(caption)</figcaption></figure>\n"
    }

    private static func checkType(_ picture: Picture) throws(VisualizeError) {
        let known = imageExtensions.union(videoExtensions)
        guard known.contains(picture.fileExtension) else {
            throw .invalid("picture '\(picture.path)' is not one of \(known.sorted().joined(separator: ", "))")
        }
    }

    /// train, validation, test first, then other splits alphabetically.
    private static func splitOrder(_ a: String, _ b: String) -> Bool {
        let known = ["train", "validation", "test"]
        switch (known.firstIndex(of: a), known.firstIndex(of: b)) {
        case let (i?, j?): return i < j
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }

    private static func color(of split: String, index: Int) -> String {
        switch split {
        case "train": "#1f77b4"
        case "validation": "#ff7f0e"
        case "test": "#2ca02c"
        default: ["#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"][index % 5]
        }
    }

    private static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", 100 * fraction) }
    private static func format(_ value: Double) -> String { String(format: "%.3g", value) }

    static let css = """

        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b2733;
               background: #f4f6f9; margin: 0; padding: 24px; }
        header, section, footer { max-width: 1160px; margin: 0 auto 20px; }
        section { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 16px 20px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 0 0 12px; color: #33475b; }
        table.summary { border-collapse: collapse; }
        table.summary th { text-align: left; font-weight: 600; padding: 4px 24px 4px 0; color: #4a5d70; }
        table.summary td { padding: 4px 0; font-variant-numeric: tabular-nums; }
        table.summary tr + tr { border-top: 1px solid #eef1f4; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
        svg.chart { width: 100%; height: auto; font-family: inherit; }
        svg.chart .title { font-size: 15px; font-weight: 600; fill: #33475b; }
        svg.chart .legend, svg.chart .tick, svg.chart .axis, svg.chart .reference-label { font-size: 12px; fill: #4a5d70; }
        svg.chart .grid { stroke: #e6eaef; stroke-width: 1; }
        svg.chart .frame { fill: none; stroke: #9aa8b6; stroke-width: 1; }
        svg.chart .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
        svg.chart .reference { stroke: #7b8794; stroke-width: 1.2; stroke-dasharray: 6 4; }
        .note { font-size: 12px; color: #7b8794; margin: 8px 0 0; }
        .scroll { overflow-x: auto; }
        table.confusion { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
        table.confusion th, table.confusion td { border: 1px solid #dde3ea; padding: 5px 9px; text-align: center; min-width: 34px; }
        table.confusion thead th { background: #f4f6f9; font-weight: 600; }
        table.confusion tbody th { background: #f4f6f9; text-align: right; font-weight: 600; }
        table.confusion th.corner { font-weight: 400; color: #7b8794; font-size: 12px; }
        table.confusion td.diagonal { font-weight: 700; }
        table.confusion .class-accuracy { background: #fff; font-weight: 600; }
        .pictures { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        figure { margin: 0; max-width: 100%; }
        figure img, figure video { display: block; max-width: 100%; border-radius: 4px; border: 1px solid #dde3ea;
                                   image-rendering: auto; }
        figcaption { font-size: 13px; color: #4a5d70; margin-top: 6px; }
        footer { font-size: 12px; color: #7b8794; text-align: center; }

        """
}

extension RunReport.Picture {
    var fileExtension: String { (path as NSString).pathExtension.lowercased() }
}
