import Foundation
import KinemaMotion

/// `kinema-video-bench`: throughput of the video and motion layers at 340 × 256 on real video
/// (vtest.avi), next to the same work in Python (Tools/bench/opencv_flow.py: opencv-python
/// contrib 4.10, scikit-image 0.26, numpy) in the same run, with the same OpenCV thread count on
/// both sides. Rows: decoding, each flow method, the camera-motion step, trajectories with their
/// descriptors, and scikit-image's HOG. Both sides work on the same decoded frames (and, where a
/// row takes flow as input, on the same flow fields); the run checks that their outputs agree.
///
/// The two sides' timed runs alternate (Python, Kinema, Kinema, Python, …) so both see the same
/// machine load; a row's rate is the median of its runs on each side.
///
///     kinema-video-bench [--data .deps/data] [--python .deps/pyref/bin/python] [--threads 2] [--repeats 7]
///                        [--rows decode,flow.dis-fast,…]
///
/// Row keys (--rows takes a comma-separated subset): decode, flow.dis-ultrafast, flow.dis-fast,
/// flow.dis-medium, flow.farneback, flow.tvl1, camera.estimate, camera.compensated,
/// tracks.given-flow, tracks.with-flow, hog.rgb, hog.gray.
@main
struct VideoBench {
    static let width = 340, height = 256
    /// Frames decoded for the pair rows (frames − 1 pairs); TV-L1 takes a few of the pairs.
    static let frameCount = 25, tvl1Pairs = 2, decodeFrames = 150
    /// The flow method of the camera-motion and trajectory rows (the CLI's default).
    static let method = "dis-medium"
    /// Seconds of idleness before each timed run (see ``rates(_:kinema:python:)``).
    static let settle = 0.02
    /// A row runs at least `--repeats` times per side, more (up to maxRuns) while one side's runs
    /// stay within about this many seconds: medians of quick rows need many runs on a busy machine.
    static let measuredSeconds = 2.0, maxRuns = 61

    static func main() throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: String) -> String {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
            return arguments[i + 1]
        }
        let data = URL(fileURLWithPath: option("--data", ".deps/data"))
        let python = option("--python", ".deps/pyref/bin/python")
        let threads = Int(option("--threads", "2")) ?? 2
        let repeats = max(1, Int(option("--repeats", "7")) ?? 7)
        let only = arguments.contains("--rows") ? Set(option("--rows", "").split(separator: ",").map(String.init)) : nil
        OpenCV.setThreadCount(threads)

        let video = data.appendingPathComponent("videos/vtest.avi")
        let rgb = try decode(video, count: frameCount)
        let gray = try rgb.map { try $0.converted(to: .gray) }
        let estimator = try FlowMethod(name: method)!.makeEstimator()
        let given = try zip(gray, gray.dropFirst()).map { try estimator.flow(from: $0, to: $1) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-video-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try Data(rgb.flatMap(\.pixels)).write(to: scratch.appendingPathComponent("frames.rgb"))
        try given.flatMap(\.vectors).withUnsafeBytes { try Data($0).write(to: scratch.appendingPathComponent("flows.f32")) }
        let reference = try Reference(python: python, arguments: [
            "Tools/bench/opencv_flow.py", "--frames", scratch.appendingPathComponent("frames.rgb").path,
            "--flows", scratch.appendingPathComponent("flows.f32").path, "--video", video.path, "--out", scratch.path,
            "--method", method, "--width", "\(width)", "--height", "\(height)", "--count", "\(frameCount)",
            "--decode-frames", "\(decodeFrames)", "--tvl1-pairs", "\(tvl1Pairs)", "--threads", "\(threads)",
        ])
        defer { reference.finish() }

        print("Kinema video bench: vtest.avi resized to \(width)x\(height); OpenCV threads: Kinema \(threads) (OpenCV \(OpenCV.version)), "
            + "Python \(reference.threads) (opencv-python \(reference.opencv)); HOG single-threaded on both sides")
        print("fps = items (frames, pairs or images) per second, median of alternating runs; "
            + "ratio = kinema/python speed (above 1: Kinema faster)")
        let rows = Rows(rgb: rgb, gray: gray, given: given, video: video)
        for row in Rows.order(repeats: repeats) where only?.contains(row.key) ?? true {
            let rate = try rates(row, kinema: rows.workload(row.key), python: reference)
            let (k, p) = (rate.kinema, rate.python)
            let label = (row.label + ":").padding(toLength: 48, withPad: " ", startingAt: 0)
            print(label + String(format: "kinema=%8.1f fps python=%8.1f fps ratio=%.2f  (%d runs each)", k, p, k / p, rate.runs))
        }
        try reference.writeOutputs()
        try Agreement(scratch: scratch, kinema: rows.outputs()).report()
    }

    /// Items per second on each side: both warmed up, then their timed runs alternating.
    static func rates(_ row: Rows.Row, kinema: Rows.Workload, python: Reference) throws -> (kinema: Double, python: Double, runs: Int) {
        try python.warmUp(row.key)
        try kinema.warmUp()
        var ours: [Double] = [], theirs: [Double] = []
        // Each side's OpenCV thread pool spins for a while after its work: a pause before every
        // timed run lets the other side's pool go to sleep first.
        func pythonRun() throws -> Double {
            Thread.sleep(forTimeInterval: settle)
            return try python.run(row.key)
        }
        func kinemaRun() throws -> Double {
            Thread.sleep(forTimeInterval: settle)
            return try seconds(kinema.run)
        }
        var runs = row.repeats, i = 0
        while i < runs {
            // Python first on even runs, Kinema first on odd ones: neither side always goes first.
            if i % 2 == 0 { theirs.append(try pythonRun()) }
            ours.append(try kinemaRun())
            if i % 2 == 1 { theirs.append(try pythonRun()) }
            // Quick rows get more runs (up to about `measuredSeconds` on the slower side).
            if i == 0 { runs = max(row.repeats, min(maxRuns, Int(measuredSeconds / max(ours[0], theirs[0])))) }
            i += 1
        }
        return (Double(row.items) / median(ours), Double(row.items) / median(theirs), runs)
    }

    /// The first `count` frames of the video, decoded as Kinema's VideoReader resizes them.
    static func decode(_ video: URL, count: Int) throws -> [Image] {
        let reader = try VideoReader(video, size: .exactly(width: width, height: height), format: .rgb)
        var frames: [Image] = []
        while frames.count < count, let frame = try reader.next() { frames.append(frame) }
        return frames
    }
}
