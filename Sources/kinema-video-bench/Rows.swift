import Foundation
import KinemaMotion

/// The bench rows and Kinema's side of each (Tools/bench/opencv_flow.py does the Python side).
final class Rows {
    struct Row {
        let key: String
        let label: String
        /// Frames, frame pairs or images one timed run handles.
        let items: Int
        /// At least this many timed runs per side (TV-L1 gets fewer; quick rows get more).
        let repeats: Int
    }

    /// Kinema's side of a row: an untimed warm-up run, then the timed run.
    struct Workload {
        let warmUp: () throws -> Void
        let run: () throws -> Void
    }

    /// Every row in print order, with `repeats` timed runs per side (TV-L1 half as many, HOG 4×).
    static func order(repeats: Int) -> [Row] {
        let pairs = VideoBench.frameCount - 1, m = VideoBench.method
        return [Row(key: "decode", label: "decode 768x576 + resize, RGB (frames)", items: VideoBench.decodeFrames, repeats: repeats)]
            + FlowMethod.names.map { name in
                name == "tvl1"
                    ? Row(key: "flow.tvl1", label: "flow tvl1 (pairs)", items: VideoBench.tvl1Pairs, repeats: max(1, repeats / 2))
                    : Row(key: "flow.\(name)", label: "flow \(name) (pairs)", items: pairs, repeats: repeats)
            } + [
                Row(key: "camera.estimate", label: "camera homography, ORB+flow+RANSAC (pairs)", items: pairs, repeats: repeats),
                Row(key: "camera.compensated", label: "camera-compensated \(m) flow (pairs)", items: pairs, repeats: repeats),
                Row(key: "tracks.given-flow", label: "trajectories+descriptors, flow given (frames)", items: pairs, repeats: repeats),
                Row(key: "tracks.with-flow", label: "trajectories+descriptors+\(m) (frames)", items: pairs, repeats: repeats),
                Row(key: "hog.rgb", label: "HOG skimage-compatible, RGB (images)", items: 1, repeats: 4 * repeats),
                Row(key: "hog.gray", label: "HOG skimage-compatible, gray (images)", items: 1, repeats: 4 * repeats),
            ]
    }

    private let rgb: [Image], gray: [Image], given: [FlowField]
    private let video: URL

    init(rgb: [Image], gray: [Image], given: [FlowField], video: URL) {
        (self.rgb, self.gray, self.given, self.video) = (rgb, gray, given, video)
    }

    func workload(_ key: String) throws -> Workload {
        let pairs = Array(zip(gray, gray.dropFirst()))
        func same(_ body: @escaping () throws -> Void) -> Workload { Workload(warmUp: body, run: body) }
        switch key {
        case "decode":
            return same { [video] in
                let reader = try VideoReader(video, size: .exactly(width: VideoBench.width, height: VideoBench.height), format: .rgb)
                var count = 0
                while count < VideoBench.decodeFrames, try reader.next() != nil { count += 1 }
            }
        case _ where key.hasPrefix("flow."):
            let name = String(key.dropFirst(5))
            let engine = try FlowMethod(name: name)!.makeEstimator()
            let use = pairs.prefix(name == "tvl1" ? VideoBench.tvl1Pairs : pairs.count)
            return Workload(warmUp: { _ = try engine.flow(from: use.first!.0, to: use.first!.1) }) {
                for (a, b) in use { _ = try engine.flow(from: a, to: b) }
            }
        case "camera.estimate":
            let camera = try CameraMotionCompensator(flow: FlowMethod(name: VideoBench.method)!.makeEstimator())
            return same { [given] in for (i, (a, b)) in pairs.enumerated() { _ = try camera.estimate(from: a, to: b, flow: given[i]) } }
        case "camera.compensated":
            let camera = try CameraMotionCompensator(flow: FlowMethod(name: VideoBench.method)!.makeEstimator())
            return same { for (a, b) in pairs { _ = try camera.compensatedFlow(from: a, to: b) } }
        case "tracks.given-flow":
            return same { [given] in _ = try self.trajectories { given[$0] } }
        case "tracks.with-flow":
            let engine = try FlowMethod(name: VideoBench.method)!.makeEstimator()
            return same { _ = try self.trajectories { try engine.flow(from: pairs[$0].0, to: pairs[$0].1) } }
        case "hog.rgb":
            return same { [rgb] in _ = try HOG.skimage(rgb[0]) }
        case "hog.gray":
            return same { [gray] in _ = try HOG.skimage(gray[0]) }
        default:
            throw VideoError(path: key, reason: .invalidArgument("no such bench row"))
        }
    }

    func trajectories(_ flow: (Int) throws -> FlowField) throws -> TrajectoryPipeline.Output {
        var pipeline = try TrajectoryPipeline()
        for i in 0..<(gray.count - 1) { try pipeline.append(gray[i], try flow(i)) }
        return pipeline.output
    }

    /// What the Python side's outputs are checked against.
    func outputs() throws -> Agreement.Kinema {
        let camera = try CameraMotionCompensator(flow: FlowMethod(name: VideoBench.method)!.makeEstimator())
        var counts = [0, 0, 0]
        for (i, (a, b)) in zip(gray, gray.dropFirst()).enumerated() {
            let motion = try camera.estimate(from: a, to: b, flow: given[i])
            counts = [counts[0] + motion.featureMatches, counts[1] + motion.flowMatches, counts[2] + motion.inliers]
        }
        return Agreement.Kinema(
            trajectories: try trajectories { self.given[$0] },
            hogRGB: try HOG.skimage(rgb[0]).features, hogGray: try HOG.skimage(gray[0]).features, cameraCounts: counts)
    }
}
