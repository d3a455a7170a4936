import Foundation
import KinemaMotion

/// `kinema-video-bench`: throughput of the video and motion layers against opencv-python 4.10 and
/// scikit-image 0.26 (Tools/bench/opencv_flow.py) measured in the same run on the same files and
/// thread count, printed as `ratio=<kinema/reference>` of rates (above 1: Kinema is faster). Both
/// sides call OpenCV, so the ratios mostly show the boundary's overhead and the OpenCV versions
/// (Debian 4.6 here, the wheel's 4.10 there). Needs Tools/data/fetch.sh's data.
///
///     kinema-video-bench [--data .deps/data] [--python .deps/pyref/bin/python] [--threads 2] [--repeats 5]
@main
struct VideoBench {
    static func main() throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: String) -> String {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
            return arguments[i + 1]
        }
        let data = URL(fileURLWithPath: option("--data", ".deps/data"))
        let threads = Int(option("--threads", "2")) ?? 2
        let repeats = Int(option("--repeats", "5")) ?? 5
        OpenCV.setThreadCount(threads)
        print("Kinema video bench — OpenCV \(OpenCV.version), \(threads) threads, median of \(repeats)")
        let reference = try runReference(
            python: option("--python", ".deps/pyref/bin/python"),
            arguments: ["Tools/bench/opencv_flow.py", "--data", data.path, "--threads", "\(threads)", "--repeats", "\(repeats)"])
        print("reference: opencv-python \(reference["opencv"] as? String ?? "?")")

        func report(_ label: String, _ ours: Double, _ key: String?, unit: String) {
            let name = label.padding(toLength: 36, withPad: " ", startingAt: 0)
            if let key, let theirs = (reference[key] as? NSNumber)?.doubleValue {
                print(name + String(format: "kinema=%8.1f %@  reference=%8.1f %@  ratio=%.2f", ours, unit, theirs, unit, ours / theirs))
            } else {
                print(name + String(format: "kinema=%8.1f %@  (no reference)", ours, unit))
            }
        }

        let video = data.appendingPathComponent("videos/bikes.mp4")
        var decoded = 0
        let decodeSeconds = try median(max(1, repeats / 2)) { decoded = try VideoReader(video).remainingFrames().count }
        report("decode bikes.mp4 640x272 (RGB)", Double(decoded) / decodeSeconds, "decode_fps", unit: "frames/s")

        let first = try Image(contentsOf: data.appendingPathComponent("middlebury/Grove3/frame10.png"), format: .gray)
        let second = try Image(contentsOf: data.appendingPathComponent("middlebury/Grove3/frame11.png"), format: .gray)
        let pairs = [("640x480", first, second), ("320x240", try first.resized(width: 320, height: 240), try second.resized(width: 320, height: 240))]
        for (size, a, b) in pairs {
            for name in FlowMethod.names {
                if name == "tvl1" && size == "640x480" { continue }  // ~6 s per pair on 2 cores
                let engine = try FlowMethod(name: name)!.makeEstimator()
                let seconds = try median(name == "tvl1" ? 1 : repeats) { _ = try engine.flow(from: a, to: b) }
                report("flow \(name) \(size)", 1 / seconds, name == "tvl1" ? nil : "flow.\(name).\(size)", unit: "pairs/s ")
            }
        }

        let small = pairs[1]
        let compensator = try CameraMotionCompensator(flow: DISFlow(preset: .fast))
        let flow = try DISFlow(preset: .fast).flow(from: small.1, to: small.2)
        report("camera homography 320x240 (ORB)", 1 / (try median(repeats) { _ = try compensator.estimate(from: small.1, to: small.2, flow: flow) }), nil, unit: "pairs/s ")
        let tracker = try DenseTrajectoryTracker(.init(length: 6, gridStep: 8))
        let flows = Array(repeating: flow, count: 6)
        report("trajectories 320x240, L=6, step 8", 1 / (try median(repeats) { _ = try tracker.track(flows[...]) }), nil, unit: "sets/s  ")

        let photo = try Image(contentsOf: data.appendingPathComponent("photos/astronaut.png"))
        report("HOG 512x512 RGB (skimage)", 1 / (try median(repeats) { _ = try HOG.skimage(photo) }), "hog_per_s", unit: "images/s")
    }

    static func median(_ repeats: Int, _ body: () throws -> Void) throws -> Double {
        try body()  // warm-up
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = Date()
            try body()
            times.append(Date().timeIntervalSince(start))
        }
        return times.sorted()[times.count / 2]
    }

    static func runReference(python: String, arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw VideoError(path: python, reason: .invalidArgument("the reference script failed: \(arguments.joined(separator: " "))"))
        }
        return json
    }
}
