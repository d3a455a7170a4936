import Foundation
import KinemaMotion

/// `kinema-video-bench`: throughput of the video and motion layers at 340 × 256 on real video
/// (vtest.avi), next to the same work in Python (Tools/bench/opencv_flow.py) in the same run, with
/// the same OpenCV thread count on every side. Two Python sides: .deps/pyref (opencv-contrib-python
/// 4.10, scikit-image 0.26: what `pip install` gives) and Debian's python3-opencv 4.6 under
/// /usr/bin/python3, the OpenCV build Kinema links, so that its ratio measures Kinema rather than
/// the OpenCV build (no scikit-image there: its HOG rows are pyref's only). Rows: decoding, each
/// flow method, the camera-motion step, trajectories with their descriptors, and scikit-image's
/// HOG. All sides work on the same decoded frames (and, where a row takes flow as input, on the
/// same flow fields); the run fails when their outputs disagree beyond the tolerances of
/// ``Agreement``.
///
/// The sides' timed runs alternate, the side that goes first rotating from run to run, so all
/// see the same machine load; a row's rate is the median of its runs on each side.
///
///     kinema-video-bench [--data .deps/data] [--python .deps/pyref/bin/python] [--debian-python /usr/bin/python3]
///                        [--threads 2] [--repeats 7] [--rows decode,flow.dis-fast,…]
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
    static let options = ["--data", "--python", "--debian-python", "--threads", "--repeats", "--rows"]

    static func main() {
        do {
            try run()
        } catch {
            FileHandle.standardError.write(Data("kinema-video-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        for (i, name) in arguments.enumerated() where i % 2 == 0 && !options.contains(name) {
            throw BenchFailure("unknown option '\(name)'; options: \(options.joined(separator: ", ")) (each takes a value)")
        }
        guard arguments.count % 2 == 0 else { throw BenchFailure("\(arguments.last!) needs a value") }
        func option(_ name: String, _ fallback: String) -> String {
            guard let i = arguments.firstIndex(of: name), i % 2 == 0 else { return fallback }
            return arguments[i + 1]
        }
        let data = URL(fileURLWithPath: option("--data", ".deps/data"))
        let threads = Int(option("--threads", "2")) ?? 0
        let repeats = Int(option("--repeats", "7")) ?? 0
        guard threads >= 1, repeats >= 1 else { throw BenchFailure("--threads and --repeats take positive integers") }
        let only = arguments.contains("--rows") ? Set(option("--rows", "").split(separator: ",").map(String.init)) : nil
        if let unknown = only?.first(where: { key in !Rows.order(repeats: 1).contains { $0.key == key } }) {
            throw BenchFailure("--rows: no row '\(unknown)'; rows: \(Rows.order(repeats: 1).map(\.key).joined(separator: ", "))")
        }
        OpenCV.setThreadCount(threads)

        let video = data.appendingPathComponent("videos/vtest.avi")
        guard FileManager.default.fileExists(atPath: video.path) else {
            throw BenchFailure("no \(video.path): Tools/data/fetch-demo.sh (run by `make bench`) fetches it")
        }
        let rgb = try decode(video, count: frameCount)
        let gray = try rgb.map { try $0.converted(to: .gray) }
        let estimator = try FlowMethod(name: method)!.makeEstimator()
        let given = try zip(gray, gray.dropFirst()).map { try estimator.flow(from: $0, to: $1) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-video-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try Data(rgb.flatMap(\.pixels)).write(to: scratch.appendingPathComponent("frames.rgb"))
        try given.flatMap(\.vectors).withUnsafeBytes { try Data($0).write(to: scratch.appendingPathComponent("flows.f32")) }
        let pythons = [("pyref", option("--python", ".deps/pyref/bin/python")), ("debian", option("--debian-python", "/usr/bin/python3"))]
        let references = try pythons.map { name, python in
            let out = scratch.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            guard FileManager.default.fileExists(atPath: python) else { throw BenchFailure("no Python at \(python) (`make bench` sets both up)") }
            return try Reference(python: python, out: out, arguments: [
                "Tools/bench/opencv_flow.py", "--frames", scratch.appendingPathComponent("frames.rgb").path,
                "--flows", scratch.appendingPathComponent("flows.f32").path, "--video", video.path, "--out", out.path,
                "--method", method, "--width", "\(width)", "--height", "\(height)", "--count", "\(frameCount)",
                "--decode-frames", "\(decodeFrames)", "--tvl1-pairs", "\(tvl1Pairs)", "--threads", "\(threads)",
            ])
        }
        defer { references.forEach { $0.finish() } }

        print("Kinema video bench: vtest.avi resized to \(width)x\(height); OpenCV threads: Kinema \(threads) (Debian's OpenCV \(OpenCV.version)); "
            + references.map { "\($0.label): \($0.threads), Python \($0.python)" }.joined(separator: "; ") + "; HOG single-threaded on every side")
        print("fps = items (frames, pairs or images) per second, median of alternating runs; "
            + "ratio = kinema speed / python speed (above 1: Kinema faster); the cv-\(OpenCV.version) column uses the same OpenCV build as Kinema")
        let rows = Rows(rgb: rgb, gray: gray, given: given, video: video)
        for row in Rows.order(repeats: repeats) where only?.contains(row.key) ?? true {
            let sides = references.filter { $0.rows.contains(row.key) }
            let rate = try rates(row, kinema: rows.workload(row.key), python: sides)
            var line = (row.label + ":").padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: "kinema=%8.1f fps", rate.kinema)
            for reference in references {
                if let i = sides.firstIndex(where: { $0 === reference }) {
                    line += String(format: "  %@=%8.1f fps ratio=%5.2f", reference.label, rate.python[i], rate.kinema / rate.python[i])
                } else {
                    line += "  \(reference.label)=     n/a (no scikit-image)"
                }
            }
            print(line + "  (\(rate.runs) runs each)")
        }
        let kinema = try rows.outputs()
        var problems: [String] = []
        for reference in references {
            try reference.writeOutputs()
            problems += try Agreement(scratch: reference.out, kinema: kinema, label: reference.label,
                sameOpenCV: reference.opencv == OpenCV.version).report()
        }
        guard problems.isEmpty else {
            throw BenchFailure("the sides' outputs disagree beyond tolerance, so their speeds do not compare like with like:\n  "
                + problems.joined(separator: "\n  "))
        }
    }

    /// Items per second on each side: all warmed up, then their timed runs alternating.
    static func rates(_ row: Rows.Row, kinema: Rows.Workload, python: [Reference]) throws
        -> (kinema: Double, python: [Double], runs: Int)
    {
        for reference in python { try reference.warmUp(row.key) }
        try kinema.warmUp()
        // Side 0 is Kinema, then the references. Each side's OpenCV thread pool spins for a while
        // after its work: a pause before every timed run lets the previous side's pool sleep first.
        let sides: [() throws -> Double] = [{ try seconds(kinema.run) }] + python.map { reference in { try reference.run(row.key) } }
        var times = Array(repeating: [Double](), count: sides.count)
        var runs = row.repeats, i = 0
        while i < runs {
            // The side that goes first rotates: none always goes first.
            for offset in 0..<sides.count {
                let side = (i + offset) % sides.count
                Thread.sleep(forTimeInterval: settle)
                times[side].append(try sides[side]())
            }
            // Quick rows get more runs (up to about `measuredSeconds` on the slowest side).
            if i == 0 { runs = max(row.repeats, min(maxRuns, Int(measuredSeconds / times.map { $0[0] }.max()!))) }
            i += 1
        }
        let rates = times.map { Double(row.items) / median($0) }
        return (rates[0], Array(rates.dropFirst()), runs)
    }

    /// The first `count` frames of the video, decoded as Kinema's VideoReader resizes them.
    static func decode(_ video: URL, count: Int) throws -> [Image] {
        let reader = try VideoReader(video, size: .exactly(width: width, height: height), format: .rgb)
        var frames: [Image] = []
        while frames.count < count, let frame = try reader.next() { frames.append(frame) }
        return frames
    }
}
