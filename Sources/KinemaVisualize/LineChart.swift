import Foundation

/// A line chart as inline SVG: one metric's curves (one per split) against the step, with axes,
/// ticks, grid lines, axis labels, a legend and optional dashed reference lines (chance level).
struct LineChart {
    struct Series {
        var name: String
        var color: String
        var points: [MetricsHistory.Point]
    }

    var title: String
    var yLabel: String
    var series: [Series]
    /// A fixed y range (accuracy: 0…1); nil fits the data.
    var yRange: ClosedRange<Double>?
    /// Horizontal dashed lines with a label.
    var references: [(label: String, value: Double)] = []

    /// Curves longer than this are drawn as the means of this many equal buckets of points: a
    /// 100 000-step log stays a small page, and noisy training curves read as trends.
    static let maximumPoints = 400
    /// Series this short also get a dot per point (sparse validation curves).
    static let markerLimit = 60

    static let width = 560.0
    static let height = 320.0
    private static let margin = (left: 78.0, right: 20.0, top: 44.0, bottom: 48.0)

    func svg() -> String {
        let drawn = series.map { Series(name: $0.name, color: $0.color, points: Self.bucketMeans($0.points)) }
        let all = drawn.flatMap(\.points)
        guard !all.isEmpty else { return "" }
        let steps = all.map { Double($0.step) }
        let values = all.map(\.value) + references.map(\.value)
        let xTicks = Ticks(low: steps.min()!, high: steps.max()!, integral: true)
        let yTicks = yRange.map { Ticks(low: $0.lowerBound, high: $0.upperBound, integral: false) }
            ?? Ticks(low: values.min()!, high: values.max()!, integral: false)
        let m = Self.margin
        let plot = (x: m.left, y: m.top, w: Self.width - m.left - m.right, h: Self.height - m.top - m.bottom)
        func x(_ step: Double) -> Double { plot.x + (step - xTicks.low) / (xTicks.high - xTicks.low) * plot.w }
        func y(_ value: Double) -> Double { plot.y + plot.h - (value - yTicks.low) / (yTicks.high - yTicks.low) * plot.h }

        var s = """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(f(Self.width)) \(f(Self.height))" \
            role="img" aria-label="\(escapeHTML(title))">

            """
        s += text(title, x: plot.x, y: 22, #"class="title""#) + "\n"
        // The legend, right-aligned on the title line (about 7 px per character).
        var legendX = Self.width - m.right
        for item in drawn.reversed() {
            legendX -= Double(item.name.count) * 7 + 6
            s += text(item.name, x: legendX + 4, y: 22, #"class="legend""#)
            s += line(legendX - 18, 18, legendX - 2, 18, #"stroke="\#(item.color)" stroke-width="3""#) + "\n"
            legendX -= 30
        }
        for tick in yTicks.values {
            s += line(plot.x, y(tick), plot.x + plot.w, y(tick), #"class="grid""#)
            s += text(yTicks.label(tick), x: plot.x - 6, y: y(tick) + 4, #"class="tick" text-anchor="end""#) + "\n"
        }
        for tick in xTicks.values {
            s += line(x(tick), plot.y, x(tick), plot.y + plot.h, #"class="grid""#)
            s += text(xTicks.label(tick), x: x(tick), y: plot.y + plot.h + 16, #"class="tick" text-anchor="middle""#) + "\n"
        }
        s += #"<rect class="frame" x="\#(f(plot.x))" y="\#(f(plot.y))" width="\#(f(plot.w))" height="\#(f(plot.h))"/>"#
        s += text("step", x: plot.x + plot.w / 2, y: Self.height - 8, #"class="axis" text-anchor="middle""#)
        s += text(yLabel, x: 0, y: 0, #"class="axis" text-anchor="middle" transform="translate(14 \#(f(plot.y + plot.h / 2))) rotate(-90)""#) + "\n"
        for reference in references {
            let level = y(reference.value)
            s += line(plot.x, level, plot.x + plot.w, level, #"class="reference""#)
            s += text(reference.label, x: plot.x + plot.w - 4, y: level - 5, #"class="reference-label" text-anchor="end""#) + "\n"
        }
        for item in drawn where !item.points.isEmpty {
            let coordinates = item.points.map { (x: f(x(Double($0.step))), y: f(y($0.value))) }
            let points = coordinates.map { "\($0.x),\($0.y)" }.joined(separator: " ")
            s += #"<polyline class="series" data-series="\#(escapeHTML(item.name))" stroke="\#(item.color)" points="\#(points)"/>"#
            if item.points.count <= Self.markerLimit {
                for c in coordinates { s += #"<circle cx="\#(c.x)" cy="\#(c.y)" r="3" fill="\#(item.color)"/>"# }
            }
            s += "\n"
        }
        return s + "</svg>"
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ attributes: String) -> String {
        #"<line x1="\#(f(x1))" y1="\#(f(y1))" x2="\#(f(x2))" y2="\#(f(y2))" \#(attributes)/>"#
    }

    /// `content` is escaped; `attributes` are written as given.
    private func text(_ content: String, x: Double, y: Double, _ attributes: String) -> String {
        #"<text x="\#(f(x))" y="\#(f(y))" \#(attributes)>\#(escapeHTML(content))</text>"#
    }

    /// At most ``maximumPoints`` points: the mean step and value of consecutive equal buckets.
    static func bucketMeans(_ points: [MetricsHistory.Point]) -> [MetricsHistory.Point] {
        guard points.count > maximumPoints else { return points }
        return (0..<maximumPoints).map { b in
            let bucket = points[(b * points.count / maximumPoints)..<((b + 1) * points.count / maximumPoints)]
            let n = Double(bucket.count)
            let step = bucket.map { Double($0.step) }.reduce(0, +) / n
            return MetricsHistory.Point(step: Int(step.rounded()), value: bucket.map(\.value).reduce(0, +) / n)
        }
    }
}

/// "Nice" axis ticks (steps of 1, 2 or 5 × 10^k, about five of them) and the axis range they span.
struct Ticks {
    let low: Double
    let high: Double
    let step: Double

    init(low: Double, high: Double, integral: Bool) {
        var (low, high) = (low, high)
        if high - low < 1e-12 {  // a flat curve: open a window around it
            let pad = Swift.max(abs(low) * 0.1, integral ? 1 : 0.05)
            (low, high) = (low - pad, high + pad)
        }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw }!
        self.step = integral ? Swift.max(1, step.rounded()) : step
        self.low = floor(low / self.step) * self.step
        self.high = ceil(high / self.step) * self.step
    }

    var values: [Double] {
        let count = Int(((high - low) / step).rounded())
        return (0...count).map { low + Double($0) * step }
    }

    func label(_ value: Double) -> String {
        let decimals = Swift.max(0, Int(-floor(log10(step) + 1e-9)))
        // Sums of steps leave rounding dust around zero, which would print as "-0.0".
        return String(format: "%.\(decimals)f", abs(value) < step * 1e-6 ? 0 : value)
    }
}

/// A coordinate with one decimal (SVG does not need more).
private func f(_ value: Double) -> String { String(format: "%.1f", value) }
