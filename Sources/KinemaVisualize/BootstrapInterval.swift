import KinemaData

/// The mean of per-item values and a percentile bootstrap interval for it (Efron & Tibshirani,
/// *An Introduction to the Bootstrap*, 1993, §13.3): resample the items with replacement,
/// `resamples` times, and take the (1 − confidence)/2 and (1 + confidence)/2 quantiles of the
/// resampled means. Seeded, so a report is reproducible.
public struct BootstrapInterval: Sendable, Codable, Equatable {
    public let mean: Double
    public let low: Double
    public let high: Double

    /// nil for no values.
    public init?(of values: [Double], confidence: Double = 0.95, resamples: Int = 10_000, seed: UInt64 = 0) {
        guard !values.isEmpty else { return nil }
        precondition(confidence > 0 && confidence < 1 && resamples >= 1, "confidence in (0, 1) and at least one resample")
        mean = values.reduce(0, +) / Double(values.count)
        var generator = SeededGenerator(seed: seed)
        let means = (0..<resamples).map { _ in
            var sum = 0.0
            for _ in values.indices { sum += values[Int.random(in: 0..<values.count, using: &generator)] }
            return sum / Double(values.count)
        }.sorted()
        // Nearest-rank quantiles of the sorted resampled means.
        func quantile(_ q: Double) -> Double { means[min(resamples - 1, max(0, Int((q * Double(resamples)).rounded(.up)) - 1))] }
        (low, high) = (quantile((1 - confidence) / 2), quantile((1 + confidence) / 2))
    }
}
