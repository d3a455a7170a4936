import Foundation

/// One side of a measurement made in interleaved rounds.
struct Side {
    let name: String
    /// Seconds of one timed run of `count` units (steps, ops).
    let run: (_ count: Int) throws -> Double
}

/// `rounds` rounds in which every side makes one timed run of `count` units; round r starts with
/// side r mod n (K, D, B; D, B, K; B, K, D; …), so that no side always goes first, and all sides see
/// the same machine load. Each run waits `settle` seconds first: the previous side's OpenMP
/// threads spin for a moment after its work, and must not steal the next side's cores.
/// Returns each side's seconds per unit, round by round.
func interleaved(_ sides: [Side], rounds: Int, count: Int, settle: Double = 0.05) throws -> [[Double]] {
    var seconds = Array(repeating: [Double](), count: sides.count)
    for round in 0..<rounds {
        for offset in 0..<sides.count {
            let i = (round + offset) % sides.count
            Thread.sleep(forTimeInterval: settle)
            seconds[i].append(try sides[i].run(count) / Double(count))
        }
    }
    return seconds
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}
