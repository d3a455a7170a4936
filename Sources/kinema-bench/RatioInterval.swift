import Foundation

/// Kinema's time over a reference's, from rounds in which both ran (paired by round, so slow
/// drifts of the machine's load cancel): the geometric mean of the per-round ratios with a 95 %
/// Student-t interval on their logarithms, exponentiated.
struct RatioInterval {
    let ratio: Double
    let low: Double
    let high: Double
    let rounds: Int

    init(kinema: [Double], reference: [Double]) {
        let logs = zip(kinema, reference).map { log($0 / $1) }
        let n = Double(logs.count)
        let mean = logs.reduce(0, +) / n
        let variance = logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / max(1, n - 1)
        let half = Self.t975(degreesOfFreedom: logs.count - 1) * (variance / n).squareRoot()
        (ratio, low, high, rounds) = (exp(mean), exp(mean - half), exp(mean + half), logs.count)
    }

    /// "0.93 [0.90, 0.96]".
    var text: String { String(format: "%.2f [%.2f, %.2f]", ratio, low, high) }

    /// The 97.5 % quantile of Student's t (standard tables); beyond 30 degrees of freedom the
    /// value at 30, which errs on the wide side.
    static func t975(degreesOfFreedom df: Int) -> Double {
        let table = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        return df < 1 ? .infinity : table[min(df, table.count) - 1]
    }
}
