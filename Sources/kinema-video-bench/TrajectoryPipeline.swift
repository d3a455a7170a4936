import KinemaMotion

/// Streaming trajectories + descriptors, the way a caller extracts MME/iDT targets from a video:
/// per frame pair the frame's gradient histograms (iDT's 8-bin HOG, MME's 9-bin unsigned HOG) and
/// the flow's (HOF, MBHx, MBHy) are built once; once L flows are in, every new one completes the
/// set that started L pairs back (median-filtered flow, DT's pruning flags), which gets iDT's
/// HOG/HOF/MBH descriptors and MME's trajectory-aligned HOG (Eq. 5).
/// Tools/bench/trajectory_reference.py's `Pipeline` is the numpy twin.
struct TrajectoryPipeline {
    struct Output {
        var flags: [TrajectoryFlags] = []
        var hog: [Float] = [], hof: [Float] = [], mbhx: [Float] = [], mbhy: [Float] = [], mme: [Float] = []
    }

    private struct Histograms {
        let hog, mme, hof, mbhx, mbhy: IntegralHistogram
    }

    private var stream: DenseTrajectoryTracker.Stream
    private var window: [Histograms] = []
    private let length: Int
    private let idt: TrajectoryDescriptor
    private let aligned: TrajectoryDescriptor
    private(set) var output = Output()

    init(length: Int = 6, gridStep: Int = 8) throws {
        self.length = length
        stream = try DenseTrajectoryTracker(.init(length: length, gridStep: gridStep)).stream()
        idt = try TrajectoryDescriptor(.idt)
        aligned = try TrajectoryDescriptor(.mme(cell: 8))
    }

    /// Adds frame `n` (gray) and the flow from it to frame `n + 1`.
    mutating func append(_ frame: Image, _ flow: FlowField) throws {
        window.append(
            Histograms(
                hog: try IntegralHistogram(gradientsOf: frame),
                mme: try IntegralHistogram(gradientsOf: frame, bins: 9, fullCircle: false),
                hof: try IntegralHistogram(flow: flow),
                mbhx: try IntegralHistogram(motionBoundariesOf: flow, component: .x),
                mbhy: try IntegralHistogram(motionBoundariesOf: flow, component: .y)))
        guard let set = try stream.append(flow) else { return }
        output.flags += set.flags
        output.hog += try idt.describe(set, integrals: window.map(\.hog))
        output.hof += try idt.describe(set, integrals: window.map(\.hof))
        output.mbhx += try idt.describe(set, integrals: window.map(\.mbhx))
        output.mbhy += try idt.describe(set, integrals: window.map(\.mbhy))
        output.mme += try aligned.describe(set, integrals: window.map(\.mme))
        window.removeFirst()
    }
}
