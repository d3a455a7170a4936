import Foundation

/// A scatter plot of a 2-D embedding as a standalone SVG, one colour per class with a legend
/// (MoSI Fig. 5: t-SNE of features coloured by action class).
///
/// ```swift
/// let points = Embedding2D.tsne(features.videoFeatures).array(of: Double.self)   // [x0, y0, x1, y1, …]
/// let plot = try EmbeddingPlot(points: points, labels: labels, classNames: names, title: "MoSI features, UCF101 test")
/// try plot.svg().write(to: url, atomically: true, encoding: .utf8)
/// ```
public struct EmbeddingPlot: Sendable {
    /// Interleaved (x, y) coordinates, one pair per point.
    public let points: [Double]
    /// Each point's class index into ``classNames``.
    public let labels: [Int]
    public let classNames: [String]
    public let title: String

    /// Throws unless there is one label per (x, y) pair, every label names a class, and every
    /// coordinate is finite.
    public init(points: [Double], labels: [Int], classNames: [String], title: String) throws(VisualizeError) {
        guard points.count == 2 * labels.count, !labels.isEmpty else {
            throw .invalid("an embedding plot needs one label per (x, y) pair, got \(points.count) values and \(labels.count) labels")
        }
        guard labels.allSatisfy({ classNames.indices.contains($0) }) else {
            throw .invalid("labels must lie in 0..<\(classNames.count)")
        }
        guard points.allSatisfy(\.isFinite) else { throw .invalid("embedding coordinates must be finite") }
        self.points = points
        self.labels = labels
        self.classNames = classNames
        self.title = title
    }

    /// Ten distinct colours (Tableau 10); more classes cycle through hues.
    static func color(_ label: Int) -> String {
        let tableau = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
        if label < tableau.count { return tableau[label] }
        let hue = (Double(label) * 137.508).truncatingRemainder(dividingBy: 360)
        return "hsl(\(Int(hue)), 65%, 48%)"
    }

    /// The plot: a square panel scaled to the points' extent, dots of radius 3.5, the legend beside it.
    public func svg() -> String {
        let (panel, margin, legendWidth) = (520.0, 24.0, 200.0)
        let shown = Set(labels).sorted()
        let legendHeight = 40.0 + Double(shown.count) * 18
        let height = max(panel + 2 * margin + 30, legendHeight)
        let xs = stride(from: 0, to: points.count, by: 2).map { points[$0] }
        let ys = stride(from: 1, to: points.count, by: 2).map { points[$0] }
        let (minX, maxX, minY, maxY) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        let span = max(maxX - minX, maxY - minY, 1e-12)
        func px(_ x: Double) -> String { String(format: "%.1f", margin + (x - minX) / span * panel + (span - (maxX - minX)) / span * panel / 2) }
        func py(_ y: Double) -> String { String(format: "%.1f", margin + 30 + (maxY - y) / span * panel + (span - (maxY - minY)) / span * panel / 2) }

        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(panel + 2 * margin + legendWidth)) \(Int(height))" \
            font-family="Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(margin))" y="22" font-size="15" font-weight="600">\(escapeHTML(title))</text>
            <rect x="\(Int(margin))" y="\(Int(margin + 30))" width="\(Int(panel))" height="\(Int(panel))" fill="none" stroke="#dde3ea"/>

            """
        for (i, label) in labels.enumerated() {
            s += "<circle cx=\"\(px(xs[i]))\" cy=\"\(py(ys[i]))\" r=\"3.5\" fill=\"\(Self.color(label))\" fill-opacity=\"0.8\">"
                + "<title>\(escapeHTML(classNames[label]))</title></circle>\n"
        }
        let legendX = Int(panel + 2 * margin)
        for (row, label) in shown.enumerated() {
            let y = Int(margin) + 40 + row * 18
            s += "<circle cx=\"\(legendX + 6)\" cy=\"\(y - 4)\" r=\"5\" fill=\"\(Self.color(label))\"/>"
                + "<text x=\"\(legendX + 16)\" y=\"\(y)\" font-size=\"12\">\(escapeHTML(classNames[label]))</text>\n"
        }
        return s + "</svg>\n"
    }
}
