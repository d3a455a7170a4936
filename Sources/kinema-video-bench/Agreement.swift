import Foundation
import KinemaMotion

/// Checks that a Python side computed the same things as Kinema (so the rates compare like with
/// like): the trajectory flags and descriptors from the shared flow fields, the HOG of the first
/// frame and the camera-motion correspondences. Returns what disagrees beyond tolerance.
///
/// Tolerances, relative to the largest |python| value of each output:
///   - descriptors (float32 on both sides): each value comes from a few dozen additions of
///     integral-histogram corners, a division and a square root (the normalisation); float32
///     rounding (2⁻²⁴ ≈ 6e-8 per operation) over those stays below 1e-5 (≈ 170 ulps);
///   - HOG (float64 on both sides, the same formulas): 1e-9;
///   - trajectory flags: identical inputs, identical decisions, except where a float32 test sits
///     exactly on its threshold: at most 0.1 % may differ;
///   - camera correspondences: equal counts when both sides run the same OpenCV build (ORB and
///     RANSAC changed between 4.6 and 4.10, so across builds they are printed, not checked).
struct Agreement {
    struct Kinema {
        let trajectories: TrajectoryPipeline.Output
        let hogRGB: [Double]
        let hogGray: [Double]
        /// Summed over the pairs: descriptor matches, flow matches, RANSAC inliers.
        let cameraCounts: [Int]
    }

    static let descriptorTolerance = 1e-5, hogTolerance = 1e-9, flagFraction = 1e-3

    let scratch: URL
    let kinema: Kinema
    /// The side's column name ("cv-4.10.0").
    let label: String
    let sameOpenCV: Bool

    func report() throws -> [String] {
        var problems: [String] = []
        let flags = try read("flags.u8", as: UInt8.self)
        let ours = kinema.trajectories.flags.map(\.rawValue)
        let differing = zip(ours, flags).filter { $0 != $1 }.count + abs(ours.count - flags.count)
        var parts = ["trajectory flags differ on \(differing) of \(ours.count)"]
        if Double(differing) > Self.flagFraction * Double(max(1, ours.count)) {
            problems.append("\(label): trajectory flags differ on \(differing) of \(ours.count) (tolerance \(Self.flagFraction * 100) %)")
        }
        let descriptors: [(String, [Float])] = [
            ("hog", kinema.trajectories.hog), ("hof", kinema.trajectories.hof), ("mbhx", kinema.trajectories.mbhx),
            ("mbhy", kinema.trajectories.mbhy), ("mme", kinema.trajectories.mme),
        ]
        for (name, values) in descriptors {
            let theirs = try read("\(name).f32", as: Float.self).map(Double.init)
            parts.append("\(name) " + check(name, values.map(Double.init), theirs, tolerance: Self.descriptorTolerance, &problems))
        }
        if FileManager.default.fileExists(atPath: scratch.appendingPathComponent("hog_rgb.f64").path) {
            parts.append("HOG rgb " + check("HOG rgb", kinema.hogRGB, try read("hog_rgb.f64", as: Double.self), tolerance: Self.hogTolerance, &problems))
            parts.append("gray " + check("HOG gray", kinema.hogGray, try read("hog_gray.f64", as: Double.self), tolerance: Self.hogTolerance, &problems))
        }
        print("agreement with \(label) (largest |kinema − python| / largest |python|): " + parts.joined(separator: ", "))
        let counts = try read("camera.i64", as: Int64.self).map(Int.init)
        let c = kinema.cameraCounts
        print("  camera correspondences (kinema / \(label)): descriptor matches \(c[0]) / \(counts[0]), "
            + "flow matches \(c[1]) / \(counts[1]), inliers \(c[2]) / \(counts[2])"
            + (sameOpenCV ? " (same OpenCV build: must be equal)" : " (different OpenCV builds: not checked)"))
        if sameOpenCV && c != counts {
            problems.append("\(label): camera correspondences \(c) differ from \(counts) with the same OpenCV build")
        }
        return problems
    }

    /// The relative difference as text; a problem when above `tolerance` or when sizes differ.
    private func check(_ name: String, _ a: [Double], _ b: [Double], tolerance: Double, _ problems: inout [String]) -> String {
        guard a.count == b.count else {
            problems.append("\(label): \(name) has \(a.count) values in Kinema, \(b.count) in Python")
            return "SIZE MISMATCH (\(a.count) vs \(b.count))"
        }
        let scale = b.map(abs).max() ?? 0
        let largest = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        let relative = scale > 0 ? largest / scale : largest
        if !(relative <= tolerance) {
            problems.append("\(label): \(name) differs by \(String(format: "%.1e", relative)) (tolerance \(tolerance))")
        }
        return String(format: "%.1e", relative)
    }

    private func read<T: BitwiseCopyable>(_ name: String, as: T.Type) throws -> [T] {
        let data = try Data(contentsOf: scratch.appendingPathComponent(name))
        return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }
}
