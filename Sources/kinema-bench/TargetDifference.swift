import Foundation
import KinemaPretext

/// How far the targets computed from cached whole-frame flow are from the on-the-fly ones of the
/// same clip: the tracked positions (clip pixels), the loss mask, and the standardised targets.
struct TargetDifference {
    /// |Δ| of every tracked coordinate, in clip pixels.
    let positions: [Float]
    /// The same for the points that move: over 1 clip pixel from start to end on the fly (on a
    /// static background the rest are noise, which the standardised targets scale up to ±1).
    let moving: [Float]
    /// Tokens whose loss-mask flag differs, of all tokens.
    let flagsDiffering: Int, tokens: Int
    /// Mean |Δ| of the standardised trajectory and HOG targets (unit scale).
    let trajectory: Double, shape: Double

    init(_ cached: MMETargets, _ onTheFly: MMETargets) {
        positions = zip(cached.tracks, onTheFly.tracks).flatMap { a, b in zip(a.positions, b.positions).map { abs($0 - $1) } }
        moving = zip(cached.tracks, onTheFly.tracks).flatMap { a, b in
            (0..<b.count).filter { i in
                let (start, end) = (b.position(i, step: 0), b.position(i, step: b.length))
                return ((end.x - start.x) * (end.x - start.x) + (end.y - start.y) * (end.y - start.y)).squareRoot() > 1
            }.flatMap { i in
                let span = (i * (b.length + 1) * 2)..<((i + 1) * (b.length + 1) * 2)
                return zip(a.positions[span], b.positions[span]).map { abs($0 - $1) }
            }
        }
        flagsDiffering = zip(cached.valid, onTheFly.valid).filter { $0 != $1 }.count
        tokens = cached.valid.count
        func meanAbs(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double(abs($1.0 - $1.1)) } / Double(max(a.count, 1)) }
        trajectory = meanAbs(cached.trajectory, onTheFly.trajectory)
        shape = meanAbs(cached.shape, onTheFly.shape)
    }

    /// One line over clips: positions' median and 95th percentile, flags, targets.
    static func summary(_ clips: [TargetDifference]) -> String {
        func percentiles(_ values: [Float]) -> String {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return "none" }
            let at = { (p: Double) in Double(sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))]) }
            return String(format: "median %.3f, 95th percentile %.2f, max %.1f px", at(0.5), at(0.95), at(1))
        }
        let moving = clips.map(\.moving.count).reduce(0, +), all = clips.map(\.positions.count).reduce(0, +)
        return String(format: "tracked positions differ by %@ (clip pixels; moving points, %.0f%% of all: %@); "
            + "loss-mask flags differ on %d of %d tokens; mean |Δ| of the standardised targets: trajectory %.3f, HOG %.3f (%d clips)",
            percentiles(clips.flatMap(\.positions)), 100 * Double(moving) / Double(max(all, 1)), percentiles(clips.flatMap(\.moving)),
            clips.map(\.flagsDiffering).reduce(0, +),
            clips.map(\.tokens).reduce(0, +), clips.map(\.trajectory).reduce(0, +) / Double(clips.count),
            clips.map(\.shape).reduce(0, +) / Double(clips.count), clips.count)
    }
}
