import Foundation
import KinemaPretext

/// How far the targets computed from cached whole-frame flow are from the on-the-fly ones of the
/// same clip: the tracked positions (clip pixels), the loss mask, and the standardised targets.
struct TargetDifference {
    /// |Δ| of every tracked coordinate, in clip pixels.
    let positions: [Float]
    /// Tokens whose loss-mask flag differs, of all tokens.
    let flagsDiffering: Int, tokens: Int
    /// Mean |Δ| of the standardised trajectory and HOG targets (unit scale).
    let trajectory: Double, shape: Double

    init(_ cached: MMETargets, _ onTheFly: MMETargets) {
        positions = zip(cached.tracks, onTheFly.tracks).flatMap { a, b in zip(a.positions, b.positions).map { abs($0 - $1) } }
        flagsDiffering = zip(cached.valid, onTheFly.valid).filter { $0 != $1 }.count
        tokens = cached.valid.count
        func meanAbs(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double(abs($1.0 - $1.1)) } / Double(max(a.count, 1)) }
        trajectory = meanAbs(cached.trajectory, onTheFly.trajectory)
        shape = meanAbs(cached.shape, onTheFly.shape)
    }

    /// One line over clips: positions' median and 95th percentile, flags, targets.
    static func summary(_ clips: [TargetDifference]) -> String {
        let positions = clips.flatMap(\.positions).sorted()
        let percentile = { (p: Double) in Double(positions[min(positions.count - 1, Int(p * Double(positions.count)))]) }
        return String(format: "tracked positions differ by median %.3f px, 95th percentile %.2f px, max %.1f px (clip pixels); "
            + "loss-mask flags differ on %d of %d tokens; mean |Δ| of the standardised targets: trajectory %.3f, HOG %.3f (%d clips)",
            percentile(0.5), percentile(0.95), Double(positions.last ?? 0), clips.map(\.flagsDiffering).reduce(0, +),
            clips.map(\.tokens).reduce(0, +), clips.map(\.trajectory).reduce(0, +) / Double(clips.count),
            clips.map(\.shape).reduce(0, +) / Double(clips.count), clips.count)
    }
}
