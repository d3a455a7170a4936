import KinemaMotion
import KinemaVideo

/// MME's shape features of one tubelet, per grid point (§3.3, "Representing shape features").
enum MMEShapeFeatures {
    /// `[points][perPoint]` values for the tubelet whose tracked points are `tracks`, in grid order.
    /// `frames` as the clip shows them: for the trajectory-aligned HOG, raw frames
    /// `tracks.startFrame + t` for t < L; for the per-frame HOG, the tubelet's last sampled frame.
    static func perPoint(_ configuration: MMETargetConfiguration, tracks: TrajectorySet, frames: [Image]) throws(MMETargetError) -> [Float] {
        let (g, bins) = (configuration.gridStep, configuration.hogBins)
        do {
            switch configuration.shape {
            case .trajectoryAligned:
                // Eq. 5: HOG(p_t) for t < L, each the g × g window at the tracked point.
                return try tracks.alignedHOG(frames: frames, cell: g, bins: bins)
            case .perFrame:
                // The cells of the grid are the points' cells: `[rows][columns][3·bins]`, divided by
                // 255·std per channel as the released code sees the normalised clip.
                var cells = try HOG.cells(try frames[0].converted(to: .rgb), cellSize: g, bins: bins)
                let std = configuration.clipNormalization.std
                for i in cells.indices { cells[i] /= 255 * std[(i / bins) % 3] }
                return cells
            }
        } catch { throw MMETargetError("MME shape target: \(error)") }
    }
}
