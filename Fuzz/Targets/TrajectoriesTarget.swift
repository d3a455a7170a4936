import Foundation
import KinemaMotion

/// The bytes as a trajectory safetensors file.
func fuzzTrajectories(_ input: Data, scratch: URL) -> Bool {
    let url = scratchFile("input-trajectories.safetensors", input, in: scratch)
    do { _ = try TrajectorySet.read(url) } catch { return expectNames(url, error) }
    return true
}
