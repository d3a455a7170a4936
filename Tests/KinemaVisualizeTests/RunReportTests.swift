import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import KinemaVisualize

@Suite struct RunReportTests {
    let folder = TemporaryFolder()

    /// 500 training steps (more than a chart draws), validation every 50 and a confusion record.
    func writeSyntheticRun() throws -> URL {
        var lines: [String] = []
        for step in 1...500 {
            let loss = 2.2 * exp(-Double(step) / 150) + 0.1
            lines.append(#"{"split": "train", "step": \#(step), "loss": \#(loss), "accuracy": \#(min(0.95, Double(step) / 500)), "lr": 0.002}"#)
            if step % 50 == 0 {
                lines.append(#"{"split": "validation", "step": \#(step), "accuracy": \#(Double(step) / 600), "accuracy_per_speed": [0.5, 0.5], "note": "x"}"#)
            }
        }
        lines.append(#"{"split": "validation", "step": 250, "labels": ["1x", "2x", "<4x>"], "confusion": [[1, 1, 0], [0, 2, 0], [0, 0, 2]]}"#)
        lines.append(#"{"split": "validation", "step": 500, "labels": ["1x", "2x", "<4x>"], "confusion": [[9, 1, 0], [2, 8, 0], [0, 0, 0]]}"#)
        lines.append("")
        try lines.joined(separator: "\n").write(to: folder.file("metrics.jsonl"), atomically: true, encoding: .utf8)
        try Image(width: 8, height: 8, format: .rgb, filledWith: [200, 30, 30]).write(to: folder.file("grid.png"))
        try FileManager.default.createDirectory(at: folder.file("media"), withIntermediateDirectories: true)
        try Data([0]).write(to: folder.file("media/clip one.mp4"))
        return folder.url
    }

    @Test func historyReadsCurvesAndTheLatestConfusionMatrix() throws {
        let history = try MetricsHistory.load(try writeSyntheticRun().appendingPathComponent("metrics.jsonl"))
        #expect(history.metrics == ["loss", "accuracy", "lr"])
        #expect(history.series["loss"]?["train"]?.count == 500)
        #expect(history.series["accuracy"]?["validation"]?.map(\.step) == Array(stride(from: 50, through: 500, by: 50)))
        let matrix = try #require(history.confusions["validation"])
        #expect(matrix.step == 500 && matrix.labels == ["1x", "2x", "<4x>"])
        #expect(matrix.counts == [[9, 1, 0], [2, 8, 0], [0, 0, 0]])
        #expect(matrix.classAccuracy == [0.9, 0.8, nil])
        #expect(matrix.accuracy == 17.0 / 20)
    }

    /// Python writes non-finite floats as bare NaN/Infinity: accepted, and left out of the curves.
    @Test func nonFiniteValuesAreSkipped() throws {
        let history = try MetricsHistory(jsonLines: """
            {"step": 1, "loss": NaN}
            {"step": 2, "loss": 0.5, "flag": true}
            """)
        #expect(history.series["loss"]?["train"] == [MetricsHistory.Point(step: 2, value: 0.5)])
        #expect(history.series["flag"] == nil)
    }

    @Test func reportIsWellFormedAndHoldsCurvesConfusionAndPictures() throws {
        let run = try writeSyntheticRun()
        let report = RunReport(
            title: "Speed <demo>", summary: [("final accuracy", "0.85"), ("chance", "0.333"), ("steps", "500")],
            pictures: [.init(path: "grid.png", caption: "Grad-CAM grid"), .init(path: "media/clip one.mp4")],
            chance: 1.0 / 3)
        let url = try report.write(runFolder: run)
        #expect(url.lastPathComponent == "report.html")
        let html = try String(contentsOf: url, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"))
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("://"), "no network")

        // The page parses as XML; everything below is found by structure, not by text snapshot.
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        func nodes(_ xpath: String) throws -> [XMLNode] { try document.nodes(forXPath: xpath) }
        func text(_ xpath: String) throws -> [String] { try nodes(xpath).map { $0.stringValue ?? "" } }

        #expect(try text("//title") == ["Speed <demo>"])
        #expect(try text("//table[@class='summary']//th") == ["final accuracy", "chance", "steps"])
        #expect(try text("//table[@class='summary']//td") == ["0.85", "0.333", "500"])

        let charts = try nodes("//*[local-name()='svg']")
        #expect(charts.count == 3)
        #expect(try text("//*[local-name()='svg']/*[local-name()='text'][@class='title']") == ["loss", "accuracy", "learning rate"])
        let trainLoss = try #require(try nodes("//*[local-name()='svg'][1]/*[local-name()='polyline'][@data-series='train']/@points").first)
        let points = (trainLoss.stringValue ?? "").split(separator: " ")
        #expect(points.count == LineChart.maximumPoints, "500 steps drawn as bucket means")
        #expect(try nodes("//*[local-name()='svg'][2]/*[local-name()='polyline']").count == 2)  // train, validation
        #expect(try text("//*[local-name()='svg'][2]/*[local-name()='text'][@class='reference-label']") == ["chance 0.333"])
        #expect(try text("//*[local-name()='svg'][2]/*[local-name()='text'][@class='axis']") == ["step", "accuracy"])
        // Polyline coordinates stay inside the chart.
        for point in points {
            let xy = point.split(separator: ",").compactMap { Double($0) }
            #expect(xy.count == 2 && (0...LineChart.width).contains(xy[0]) && (0...LineChart.height).contains(xy[1]))
        }

        #expect(try text("//table[@class='confusion']/thead//th") == ["true \\ predicted", "1x", "2x", "<4x>", "accuracy"])
        #expect(try text("//table[@class='confusion']/tbody/tr/th") == ["1x", "2x", "<4x>"])
        #expect(try text("//table[@class='confusion']/tbody/tr[1]/td") == ["9", "1", "0", "90.0%"])
        #expect(try text("//table[@class='confusion']/tbody/tr[3]/td[last()]") == ["–"])
        #expect(try text("//td[@class='diagonal']") == ["9", "8", "0"])
        #expect(try text("//h2").contains("Confusion matrix: validation, step 500 — accuracy 85.0%"))

        #expect(try text("//figure/img/@src") == ["grid.png"])
        #expect(try text("//figure/video/@src") == ["media/clip%20one.mp4"])
        #expect(try text("//figcaption") == ["Grad-CAM grid", "media/clip one.mp4"])
    }

    @Test func badInputGivesClearErrors() throws {
        let empty = TemporaryFolder()
        let missing = try #require(throws: VisualizeError.self) { try RunReport().write(runFolder: empty.url) }
        #expect(missing.description.contains("metrics.jsonl: no such file"))

        let cases: [(String, String)] = [
            ("{\"step\": 1, \"loss\": 0.5}\nnot json\n", ":2: not a metrics record: not a JSON object"),
            ("[1, 2]\n", ":1: not a metrics record: not a JSON object"),
            ("{\"loss\": 0.5}\n", ":1: not a metrics record: needs a non-negative integer \"step\""),
            ("{\"step\": 1.5}\n", "needs a non-negative integer \"step\""),
            ("{\"step\": 1, \"split\": 3}\n", "\"split\" must be a string"),
            ("{\"step\": 1, \"confusion\": [[1, 2], [3]]}\n", "must be square"),
            ("{\"step\": 1, \"confusion\": [[1, 2.5], [3, 4]]}\n", "counts must be integers"),
            ("{\"step\": 1, \"confusion\": [[1]], \"labels\": [\"a\", \"b\"]}\n", "2 labels for a 1-class"),
        ]
        for (text, message) in cases {
            let run = TemporaryFolder()
            try text.write(to: run.file("metrics.jsonl"), atomically: true, encoding: .utf8)
            let error = try #require(throws: VisualizeError.self) { try RunReport().write(runFolder: run.url) }
            #expect(error.description.contains(message), "\(error)")
        }

        let run = try writeSyntheticRun()
        for (path, message) in [("absent.gif", "absent.gif: no such file"), ("/tmp/x.png", "must be relative"),
                                ("notes.txt", "is not one of")] {
            let error = try #require(throws: VisualizeError.self) {
                try RunReport(pictures: [.init(path: path)]).write(runFolder: run)
            }
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func confusionRecordRoundTripsThroughJSON() throws {
        let matrix = try ConfusionMatrix(split: "validation", step: 7, labels: ["a", "b"], counts: [[3, 1], [0, 4]])
        let line = try JSONSerialization.data(withJSONObject: matrix.record, options: [.sortedKeys])
        let history = try MetricsHistory(jsonLines: String(decoding: line, as: UTF8.self))
        #expect(history.confusions["validation"] == matrix)
        #expect(throws: VisualizeError.self) { try ConfusionMatrix(split: "v", step: 0, counts: [[-1]]) }
    }

    @Test func ticksAreRoundNumbersCoveringTheData() {
        let ticks = Ticks(low: 0.013, high: 0.97, integral: false)
        #expect(ticks.step == 0.2 && ticks.low == 0 && abs(ticks.high - 1) < 1e-12)
        #expect(ticks.values.map(ticks.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let steps = Ticks(low: 1, high: 240, integral: true)
        #expect(steps.step == 50 && steps.values.map(steps.label) == ["0", "50", "100", "150", "200", "250"])
        let flat = Ticks(low: 3, high: 3, integral: true)
        #expect(flat.low < 3 && flat.high > 3 && flat.step >= 1)
    }
}
