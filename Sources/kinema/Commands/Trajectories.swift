import ArgumentParser
import Foundation
import KinemaMotion
import KinemaVisualize

/// `kinema trajectories`: MME's dense trajectories (grid points tracked through L frames).
struct Trajectories: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Track a dense grid of points through a video and write the trajectories with a preview.",
        discussion: """
            For every start frame, points on a --grid-step grid are tracked through --length flow \
            fields smoothed by a 3 × 3 median (MME appendix B, Eq. 6) and flagged with Dense \
            Trajectories' pruning rules. trajectories.safetensors holds positions F32 [sets, points, \
            L + 1, 2], flags U8 [sets, points] (1 out of frame, 2 static, 4 erratic, 8 sudden jump) \
            and start_frames I64 [sets]. The preview draws, on each frame, the tracks that end there, \
            coloured by direction (Middlebury wheel) with older points dimmer, as in MME Fig. 4; \
            static and out-of-frame tracks are left out.
            """)

    @OptionGroup var motion: MotionOptions

    @Option(help: "L: flow fields each trajectory spans (MME paper 6, its released K400 run 4, DT 15).")
    var length = 6

    @Option(help: "Grid spacing in pixels (MME 8: K = 4 points per 16 × 16 patch).")
    var gridStep = 8

    func validate() throws {
        guard (1...64).contains(length) else { throw ValidationError("--length must be in 1...64") }
        guard gridStep >= 2 else { throw ValidationError("--grid-step must be at least 2") }
    }

    func run() throws {
        let tracker = try DenseTrajectoryTracker(.init(length: length, gridStep: gridStep))
        var stream = tracker.stream()
        var sets: [TrajectorySet] = []
        let (_, pairs) = try motion.forEachPair(previewSize: { ($0, $1) }) { pair, preview in
            let set = try stream.append(pair.flow)
            if let set { sets.append(set) }
            // Frame index + 1 is where the newest set ends; before the first full set, nothing to draw.
            var frame = pair.second
            if let set { try frame.draw(tracks: try tracks(of: set), fade: 0.15) }
            try preview?.write(frame)
        }
        guard !sets.isEmpty else {
            throw MotionError("kinema trajectories", .invalidParameter("the video has \(pairs) frame pairs; --length \(length) needs at least \(length)"))
        }
        try TrajectorySet.write(sets, to: motion.outputURL.appendingPathComponent("trajectories.safetensors"), metadata: [
            "video": motion.video, "method": motion.method, "camera_motion_removed": "\(motion.removeCameraMotion)",
        ])
        let kept = sets.map { $0.validity(rejecting: [.outOfFrame, .staticTrack]).filter { $0 }.count }.reduce(0, +)
        print("\(sets.count) trajectory sets of \(sets[0].count) points (L = \(length)), \(kept) moving and in frame → \(motion.output)")
    }

    /// The moving, in-frame tracks of a set, coloured by their overall direction.
    private func tracks(of set: TrajectorySet) throws(VisualizeError) -> [Image.Track] {
        let keep = set.validity(rejecting: [.outOfFrame, .staticTrack])
        let indices = (0..<set.count).filter { keep[$0] }
        return try TrackPalette.tracks(
            indices.map { n in (0...set.length).map { set.position(n, step: $0) } }, outOfView: indices.map { _ in false },
            maxMagnitude: 2 * Float(set.length))
    }
}
