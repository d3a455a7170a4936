import Foundation

/// Seconds a ``MMETargetComputer`` spent in each stage of the on-the-fly targets, summed over the
/// clips it computed: for the bench (MME issue 11, "throughput, measured honestly"). A computer
/// without one measures nothing. One per computer, hence per thread.
public final class MMEStageTimes: @unchecked Sendable {
    /// Seconds on the clock the stages are measured with (wall-clock by default; the bench passes
    /// the process's CPU time, which a busy machine does not inflate).
    public let clock: @Sendable () -> Double
    /// The estimator's flow, once per frame pair.
    public var flow = 0.0
    /// Camera-motion removal: the homography, the warp and the second flow on the aligned frame.
    public var camera = 0.0
    /// Cropping and mirroring cached full-frame flow (instead of `flow` and `camera`).
    public var cachedFlow = 0.0
    /// Median filter and tracking, with the mapping to clip pixels and the out-of-view flags.
    public var tracking = 0.0
    /// The shape target (HOG), with the frames it reads cropped and resized.
    public var shape = 0.0
    /// The baselines' short-term motion target (flow, HOF or MBH), with the flow resampled.
    public var shortTerm = 0.0

    public init(clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.clock = clock
    }

    public var total: Double { flow + camera + cachedFlow + tracking + shape + shortTerm }

    func add<T, E: Error>(_ stage: ReferenceWritableKeyPath<MMEStageTimes, Double>, _ body: () throws(E) -> T) throws(E) -> T {
        let start = clock()
        defer { self[keyPath: stage] += clock() - start }
        return try body()
    }
}

extension Optional where Wrapped == MMEStageTimes {
    /// Runs `body`, adding its time to `stage` when there is a sink.
    func add<T, E: Error>(_ stage: ReferenceWritableKeyPath<MMEStageTimes, Double>, _ body: () throws(E) -> T) throws(E) -> T {
        guard let times = self else { return try body() }
        return try times.add(stage, body)
    }
}
