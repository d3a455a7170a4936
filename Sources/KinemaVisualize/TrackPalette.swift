import KinemaMotion
import KinemaVideo

/// How trajectories are coloured in every picture of them: by their overall displacement on the
/// Middlebury flow wheel (hue = direction, saturation = speed up to `maxMagnitude`), as optical
/// flow is shown and as MME Fig. 4 distinguishes tracks; tracks that leave the frame (MME Eq. 7:
/// out of the loss) in grey.
public enum TrackPalette {
    public static let outOfView: (r: UInt8, g: UInt8, b: UInt8) = (150, 150, 150)

    /// The wheel colour of each displacement `(dx, dy)`.
    public static func directionColors(_ displacements: [(dx: Float, dy: Float)], maxMagnitude: Float) throws(VisualizeError) -> [(r: UInt8, g: UInt8, b: UInt8)] {
        guard !displacements.isEmpty else { return [] }
        // One colour-wheel lookup for all tracks: their displacements as a 1-row flow field.
        let field = FlowField(width: displacements.count, height: 1, vectors: displacements.flatMap { [$0.dx, $0.dy] })
        let pixels: [UInt8]
        do { pixels = try field.colorized(maxMagnitude: maxMagnitude).pixels } catch { throw VisualizeError(.motion(error)) }
        return displacements.indices.map { (pixels[3 * $0], pixels[3 * $0 + 1], pixels[3 * $0 + 2]) }
    }

    /// Polylines (oldest point first) as tracks to draw, coloured by first-to-last displacement;
    /// `outOfView[n]` marks the ones drawn grey.
    public static func tracks(_ polylines: [[(x: Float, y: Float)]], outOfView: [Bool], maxMagnitude: Float) throws(VisualizeError) -> [Image.Track] {
        let colors = try directionColors(
            polylines.map { line in (line.last.map { $0.x - line[0].x } ?? 0, line.last.map { $0.y - line[0].y } ?? 0) },
            maxMagnitude: maxMagnitude)
        return polylines.indices.map { n in Image.Track(points: polylines[n], color: outOfView[n] ? Self.outOfView : colors[n]) }
    }
}
