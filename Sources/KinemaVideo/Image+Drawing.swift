internal import CKinemaCV

extension Image {
    /// A point track to draw: positions oldest first, in pixel coordinates, and an RGB colour.
    public struct Track: Sendable {
        public var points: [(x: Float, y: Float)]
        public var color: (r: UInt8, g: UInt8, b: UInt8)

        public init(points: [(x: Float, y: Float)], color: (r: UInt8, g: UInt8, b: UInt8)) {
            self.points = points
            self.color = color
        }
    }

    /// Draws tracks as anti-aliased polylines whose older segments are dimmer (brightness rises from
    /// `fade` at the oldest point to full at the newest, which gets a dot) — the style of MME Fig. 4.
    /// The image is converted to RGB first if needed.
    public mutating func draw(tracks: [Track], fade: Float = 0.25, thickness: Int = 1) throws(VideoError) {
        if format != .rgb { self = try converted(to: .rgb) }
        let tracks = tracks.filter { !$0.points.isEmpty }
        guard !tracks.isEmpty else { return }
        let longest = tracks.map(\.points.count).max()!
        var points = [Float](repeating: 0, count: tracks.count * longest * 2)
        var lengths = [Int32](repeating: 0, count: tracks.count)
        var colors = [UInt8](repeating: 0, count: tracks.count * 3)
        for (t, track) in tracks.enumerated() {
            lengths[t] = Int32(track.points.count)
            for (k, p) in track.points.enumerated() {
                points[(t * longest + k) * 2] = p.x
                points[(t * longest + k) * 2 + 1] = p.y
            }
            colors[t * 3] = track.color.r
            colors[t * 3 + 1] = track.color.g
            colors[t * 3 + 2] = track.color.b
        }
        let (w, h) = (Int32(width), Int32(height))
        let status = pixels.withUnsafeMutableBytes { canvas in
            kcv_draw_tracks(
                canvas.baseAddress, w, h, points, Int32(tracks.count), Int32(longest), lengths, colors,
                min(max(fade, 0), 1), Int32(max(thickness, 1)))
        }
        precondition(status == 0, "kcv_draw_tracks rejected validated arguments")
    }
}
