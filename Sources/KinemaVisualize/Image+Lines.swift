import KinemaVideo

extension Image {
    /// Blends a one-pixel anti-aliased line from `a` to `b` (pixel-centre coordinates) into this RGB
    /// image with Xiaolin Wu's algorithm: along the major axis every column (or row) gets the two
    /// pixels the line passes between, each covered by the share of the line that falls on it,
    /// times `opacity`; the end columns are weighted by the part of the pixel the segment spans.
    /// Pixels outside the image are skipped. ``draw(tracks:fade:thickness:)`` (OpenCV) marks each
    /// track's end with a dot; this draws bare lines, e.g. the symmetric strokes of HOG glyphs.
    public mutating func blendLine(
        from a: (x: Float, y: Float), to b: (x: Float, y: Float), color: (r: UInt8, g: UInt8, b: UInt8), opacity: Float = 1
    ) throws(VisualizeError) {
        if format != .rgb {
            do { self = try converted(to: .rgb) } catch { throw VisualizeError(.video(error)) }
        }
        guard a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { throw .invalid("line ends must be finite, got \(a) and \(b)") }
        let alpha = min(max(opacity, 0), 1)
        // Walk the major axis; `plot(u, v, w)` is pixel (u, v) in major/minor order.
        let steep = abs(b.y - a.y) > abs(b.x - a.x)
        var (u0, v0, u1, v1) = steep ? (a.y, a.x, b.y, b.x) : (a.x, a.y, b.x, b.y)
        if u0 > u1 { (u0, v0, u1, v1) = (u1, v1, u0, v0) }
        let gradient = u1 > u0 ? (v1 - v0) / (u1 - u0) : 0
        func plot(_ u: Int, _ v: Int, _ weight: Float) {
            let (x, y) = steep ? (v, u) : (u, v)
            guard x >= 0, y >= 0, x < width, y < height, weight > 0 else { return }
            let w = weight * alpha
            let i = (y * width + x) * 3
            for (c, value) in [color.r, color.g, color.b].enumerated() {
                pixels[i + c] = UInt8((Float(pixels[i + c]) * (1 - w) + Float(value) * w).rounded())
            }
        }
        let first = Int(u0.rounded()), last = Int(u1.rounded())
        for u in first...last {
            // The share of pixel column u the segment spans: the ends are cut at u0 and u1.
            let coverage = first == last ? 1 : min(max(min(Float(u) + 0.5, u1) - max(Float(u) - 0.5, u0), 0), 1)
            let v = v0 + gradient * (min(max(Float(u), u0), u1) - u0)
            let below = v.rounded(.down)
            plot(u, Int(below), coverage * (1 - (v - below)))
            plot(u, Int(below) + 1, coverage * (v - below))
        }
    }
}
