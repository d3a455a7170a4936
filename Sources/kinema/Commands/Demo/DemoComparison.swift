import Foundation
import KinemaVisualize

/// The demo's last section: what each method reached on its own task in this demo, and the
/// comparison of all methods on one downstream benchmark that `make results` measured.
enum DemoComparison {
    /// One method's pretext result in this demo, beside the bar it has to clear.
    struct Measure {
        let method: String
        let task: String
        let result: String
        let bar: String
        let steps: Int
        let seconds: Double
    }

    /// The headings of docs/results.md whose tables the report shows.
    static let resultTables = [
        ("### Top-1 accuracy (%)", "Top-1 on the motion benchmark (%): mean ± std over fine-tuning seeds [95 % bootstrap interval]"),
        ("### Differences in top-1 (points), paired by seed [95 % bootstrap interval]",
         "Differences in top-1 (points), paired by seed [95 % bootstrap interval]"),
    ]

    static func section(_ measures: [Measure], results: URL) -> DemoReport.Section {
        var tables = [DemoReport.Table(
            caption: "This demo: each method against the bar of its own task (held-out data)",
            header: ["method", "task", "result", "bar to clear", "steps", "time"],
            rows: measures.map { [$0.method, $0.task, $0.result, $0.bar, "\($0.steps)", String(format: "%.0f s", $0.seconds)] })]
        var text = [
            "Each method learns a different task, so the demo can only say whether each learned its own. Whether what "
                + "they learn helps to recognise motion is a downstream question: `make results` pretrains every method "
                + "on the same unlabelled videos of a motion benchmark, fine-tunes each 5 times beside tuned scratch "
                + "baselines and controls, and writes docs/results.md (about 95 minutes on 2 cores, too long for a demo).",
        ]
        if let markdown = try? String(contentsOf: results, encoding: .utf8) {
            let found = resultTables.compactMap { MarkdownTable.first(under: $0.0, in: markdown, caption: $0.1) }
            tables += found
            text.append(found.isEmpty
                ? "\(results.path) has no comparison table: run `make results` to write it."
                : "The tables below are \(results.path) as `make results` measured it (not this demo's runs); its text "
                    + "gives the controls, intervals and conclusions.")
        } else {
            text.append("No \(results.path) here (run from the Kinema checkout, or `make results` to make it).")
        }
        return DemoReport.Section(title: "The comparison", text: text, tables: tables)
    }
}
