import Foundation

/// Clips per second over the steps since the last reading: with a GPU computing asynchronously, one
/// step's wall time says nothing, but the time between two logged steps (each of which waits for
/// the device) is exact.
struct Throughput {
    private var start = Date()
    private var clips = 0

    /// Counts a step's clips.
    mutating func add(_ count: Int) { clips += count }

    /// Clips per second since the last reading (or the start); starts a new interval.
    mutating func read() -> Double {
        let now = Date()
        let rate = Double(clips) / max(now.timeIntervalSince(start), 1e-9)
        (start, clips) = (now, 0)
        return rate
    }
}
