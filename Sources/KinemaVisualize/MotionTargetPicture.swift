import Foundation
import KinemaMotion
import KinemaPretext
import KinemaVideo

/// MME's targets of one clip drawn so a person can read them (`kinema mme targets`): every raw
/// frame each tubelet's trajectories span (its first frame and the L after it, at the full frame
/// rate), the K points of every patch drawn as the trajectory so far, coloured by overall direction
/// and speed (``TrackPalette``; grey: leaves the frame, out of MME Eq. 7's loss); optionally the
/// tubes a tube mask hides greyed; and beside it a panel of one tubelet's trajectory-aligned HOG
/// (Eq. 5) as glyphs at the tracked points, step by step.
public struct MotionTargetPicture {
    /// The animation's frames (tubelet by tubelet, steps 0…L) and the contact sheet (each tubelet's
    /// complete trajectories, then the HOG panel at step 0).
    public let frames: [Image]
    public let sheet: Image

    /// `clipFrames[i]`: raw frame i of the clip's span as the clip shows it (cropped and resized to
    /// the targets' clip size), at least every frame the targets' tracks span. `mask` (token order,
    /// `true` = masked) greys masked tubes. Tracks whose first-to-last displacement is below
    /// `minDisplacement` clip pixels are left out (0 draws all). `hogTubelet`'s HOG is drawn.
    public init(
        clipFrames: [Image], targets: MMETargets, configuration c: MMETargetConfiguration, mask: [Bool]? = nil,
        hogTubelet: Int = 0, minDisplacement: Float = 0.5
    ) throws(VisualizeError) {
        guard let first = targets.tracks.first, let clip = clipFrames.first else { throw .invalid("no tracks or no frames to draw") }
        let clipSize = clip.width
        guard clipFrames.allSatisfy({ $0.width == clipSize && $0.height == clipSize }), clipSize == targets.tokenColumns * c.patch else {
            throw .invalid("the frames must be the targets' \(targets.tokenColumns * c.patch)² clip, got \(clip.width)x\(clip.height)")
        }
        guard let last = targets.tracks.last, last.startFrame + last.length < clipFrames.count else {
            throw .invalid("the tracks span \((targets.tracks.last?.startFrame ?? 0) + first.length + 1) frames, got \(clipFrames.count)")
        }
        guard targets.tracks.indices.contains(hogTubelet) else {
            throw .invalid("HOG tubelet \(hogTubelet) is not one of the clip's \(targets.tracks.count)")
        }
        guard mask.map({ $0.count == targets.tokens }) ?? true else {
            throw .invalid("the mask has \(mask!.count) tokens, the targets \(targets.tokens)")
        }
        let canvas = MotionPictureCanvas(clipSize: clipSize)
        let perTubelet = targets.tokenRows * targets.tokenColumns
        let hog = try Self.hogPanel(
            clipFrames: clipFrames, tracks: targets.tracks[hogTubelet], bins: c.hogBins, cell: c.gridStep, canvas: canvas, tubelet: hogTubelet)

        var frames: [Image] = []
        var finals: [Image] = []
        for (k, set) in targets.tracks.enumerated() {
            let shown = Self.moving(set, minDisplacement: minDisplacement)
            let outOfView = shown.map { set.flags[$0].contains(.outOfFrame) }
            let masked = mask.map { $0[(k * perTubelet)..<((k + 1) * perTubelet)] }
            for t in 0...set.length {
                var frame = try canvas.frame(clipFrames[set.startFrame + t], masked: masked, patch: c.patch)
                let tracks = try TrackPalette.tracks(
                    shown.map { canvas.polyline(set, $0, upTo: t) }, outOfView: outOfView, maxMagnitude: Float(set.length * canvas.scale))
                do { try frame.draw(tracks: tracks, fade: 0.3) } catch { throw VisualizeError(.video(error)) }
                try canvas.caption("tubelet \(k) frame \(set.startFrame + t) step \(t)", on: &frame)
                if t == set.length { finals.append(frame) }
                let step = k == hogTubelet ? min(t, set.length - 1) : 0
                frames.append(try Image.mosaic([[frame, hog[step]]], gap: 4, background: [40, 40, 40]))
            }
        }
        self.frames = frames
        let rows = Swift.stride(from: 0, to: finals.count, by: 4).map { Array(finals[$0..<min($0 + 4, finals.count)]) }
        sheet = try Image.mosaic(rows + [[hog[0]]], gap: 4, background: [40, 40, 40])
    }

    /// The tracks of `set` that move at least `minDisplacement` from first to last position: the
    /// ones drawn.
    public static func moving(_ set: TrajectorySet, minDisplacement: Float) -> [Int] {
        (0..<set.count).filter { n in
            let (a, b) = (set.position(n, step: 0), set.position(n, step: set.length))
            return ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() >= minDisplacement
        }
    }

    /// The HOG panels of one tubelet, one per step t < L: the frame dimmed to a quarter, and at each
    /// tracked point p_t the histogram of the `cell × cell` window there (MME Eq. 5, unnormalised;
    /// brightness relative to the tubelet's strong bins).
    private static func hogPanel(
        clipFrames: [Image], tracks: TrajectorySet, bins: Int, cell: Int, canvas: MotionPictureCanvas, tubelet: Int
    ) throws(VisualizeError) -> [Image] {
        let values: [Float]
        do {
            values = try tracks.alignedHOG(frames: Array(clipFrames[tracks.startFrame..<(tracks.startFrame + tracks.length)]), cell: cell, bins: bins)
        } catch { throw VisualizeError(.motion(error)) }
        // Brightness relative to the 95th percentile of the non-zero bins: a few strong edges would
        // leave every other glyph invisible against the largest.
        let sorted = values.filter { $0 > 0 }.sorted()
        let peak = sorted.isEmpty ? 0 : sorted[sorted.count * 95 / 100]
        return try (0..<tracks.length).map { (t) throws(VisualizeError) in
            var panel = try canvas.frame(clipFrames[tracks.startFrame + t], patch: cell)
            panel = panel.mapped(Array(repeating: (0...255).map { UInt8($0 / 4) }, count: 3))
            let histograms = (0..<tracks.count).map { n in
                Array(values[((n * tracks.length + t) * bins)..<((n * tracks.length + t + 1) * bins)])
            }
            try HOGGlyphs.draw(
                histograms, at: (0..<tracks.count).map { canvas.point(tracks.position($0, step: t)) },
                radius: Float(cell * canvas.scale) / 2 - 0.5, on: &panel, peak: peak)
            try canvas.caption("HOG tubelet \(tubelet) step \(t)", on: &panel)
            return panel
        }
    }

    /// Writes the animation (GIF) and the contact sheet (PNG).
    public func write(gif: URL, sheet sheetURL: URL, fps: Double) throws(VisualizeError) {
        try Image.writeGIF(frames, to: gif, fps: fps)
        do { try sheet.write(to: sheetURL) } catch { throw VisualizeError(.video(error)) }
    }
}
