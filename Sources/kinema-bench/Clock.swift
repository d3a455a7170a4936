#if canImport(Glibc)
import Glibc
#endif

/// Monotonic seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The median of `repeats` timed runs of `body`, after `warmup` untimed ones.
func medianSeconds(warmup: Int, repeats: Int, _ body: () -> Void) -> (median: Double, all: [Double]) {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = now()
        body()
        times.append(now() - start)
    }
    let sorted = times.sorted()
    return (sorted[sorted.count / 2], times)
}
