import Foundation
import KinemaMotion

/// Checks that the two sides computed the same things (so the rates compare like with like): the
/// trajectory flags and descriptors from the shared flow fields, the HOG of the first frame and
/// the camera-motion correspondences.
struct Agreement {
    struct Kinema {
        let trajectories: TrajectoryPipeline.Output
        let hogRGB: [Double]
        let hogGray: [Double]
        /// Summed over the pairs: descriptor matches, flow matches, RANSAC inliers.
        let cameraCounts: [Int]
    }

    let scratch: URL
    let kinema: Kinema

    func report() throws {
        let flags = try read("flags.u8", as: UInt8.self)
        let ours = kinema.trajectories.flags.map(\.rawValue)
        let differing = zip(ours, flags).filter { $0 != $1 }.count + abs(ours.count - flags.count)
        var parts = ["trajectory flags differ on \(differing) of \(ours.count)"]
        let descriptors: [(String, [Float])] = [
            ("hog", kinema.trajectories.hog), ("hof", kinema.trajectories.hof), ("mbhx", kinema.trajectories.mbhx),
            ("mbhy", kinema.trajectories.mbhy), ("mme", kinema.trajectories.mme),
        ]
        for (name, values) in descriptors {
            parts.append("\(name) \(difference(values.map(Double.init), try read("\(name).f32", as: Float.self).map(Double.init)))")
        }
        parts.append("HOG rgb \(difference(kinema.hogRGB, try read("hog_rgb.f64", as: Double.self)))")
        parts.append("gray \(difference(kinema.hogGray, try read("hog_gray.f64", as: Double.self)))")
        print("agreement (largest |kinema − python| / largest |python|): " + parts.joined(separator: ", "))
        let counts = try read("camera.i64", as: Int64.self).map(Int.init)
        let c = kinema.cameraCounts
        print("camera correspondences (kinema / python, OpenCV 4.6 / 4.10 ORB and RANSAC): descriptor matches \(c[0]) / \(counts[0]), "
            + "flow matches \(c[1]) / \(counts[1]), inliers \(c[2]) / \(counts[2])")
    }

    private func difference(_ a: [Double], _ b: [Double]) -> String {
        guard a.count == b.count else { return "SIZE MISMATCH (\(a.count) vs \(b.count))" }
        let scale = b.map(abs).max() ?? 0
        let largest = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        return String(format: "%.1e", scale > 0 ? largest / scale : largest)
    }

    private func read<T: BitwiseCopyable>(_ name: String, as: T.Type) throws -> [T] {
        let data = try Data(contentsOf: scratch.appendingPathComponent(name))
        return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }
}
