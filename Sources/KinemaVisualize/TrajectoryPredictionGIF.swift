import Foundation
import KinemaPretext
import KinemaVideo

/// Target against predicted trajectories on the masked patches of held-out clips (MME Fig. 4): a
/// row per clip, the target's tracks beside the model's, one animation frame per tubelet (the clip's
/// sampled frame where the tubelet's tracks start), masked tubes greyed as the encoder never saw
/// them, tracks drawn on masked patches only.
///
/// The model predicts standardised position changes; they are turned back into clip pixels with
/// the *target's* own per-patch statistics (``MMETrajectoryScaling``) and accumulated from the
/// same grid points, so both columns are in the same units. What that borrows from the target
/// depends on the normalisation: the paper's patch norm, a patch's mean and spread (two numbers:
/// the shape of the motion within the patch is the model's); the released PatchStd, every step's
/// mean motion (only the spread of the K points about it is the model's).
public enum TrajectoryPredictionGIF {
    /// `clips[i]`: clip i's sampled frames (clip-sized); `predictions[i]`: its masked tokens'
    /// trajectory predictions in ascending token order, `[M][trajectoryChannels]` flattened;
    /// `tubeletStep`: sampled frames per tubelet.
    @discardableResult
    public static func write(
        clips: [[Image]], targets: [MMETargets], masks: [[Bool]], predictions: [[Float]], tubeletStep: Int, patch: Int, step: Int,
        to url: URL, fps: Double = 2
    ) throws(VisualizeError) -> URL {
        guard !clips.isEmpty, clips.count == targets.count, clips.count == masks.count, clips.count == predictions.count else {
            throw .invalid("\(clips.count) clips, \(targets.count) targets, \(masks.count) masks and \(predictions.count) predictions")
        }
        let canvas = MotionPictureCanvas(clipSize: clips[0][0].width, minimum: 128)
        let tubelets = targets[0].tracks.count
        var sheets: [Image] = []
        for k in 0..<tubelets {
            var rows: [[Image]] = []
            for i in clips.indices {
                let (target, mask) = (targets[i], masks[i])
                let (set, perTubelet, channels) = (target.tracks[k], target.tokenRows * target.tokenColumns, target.trajectoryChannels)
                guard mask.count == target.tokens, predictions[i].count == mask.filter({ $0 }).count * channels else {
                    throw .invalid("clip \(i): \(mask.count) mask entries and \(predictions[i].count) predicted values for \(target.tokens) tokens of \(channels)")
                }
                let base = try canvas.frame(clips[i][k * tubeletStep], masked: mask[(k * perTubelet)..<((k + 1) * perTubelet)], patch: patch)
                var (targetLines, predictedLines, outOfView) = ([[(x: Float, y: Float)]](), [[(x: Float, y: Float)]](), [Bool]())
                let side = patch / set.gridStep
                var row = 0
                for token in 0..<target.tokens where mask[token] {
                    defer { row += 1 }
                    guard token / perTubelet == k else { continue }
                    let values = Array(predictions[i][(row * channels)..<((row + 1) * channels)])
                    let changes = target.trajectoryScaling.positionChanges(values, token: token)
                    let (patchRow, patchColumn) = ((token % perTubelet) / target.tokenColumns, token % target.tokenColumns)
                    // The token's K points, row-major within the patch (the targets' order).
                    for (p, (dy, dx)) in (0..<(side * side)).map({ ($0 / side, $0 % side) }).enumerated() {
                        let n = (patchRow * side + dy) * set.columns + patchColumn * side + dx
                        targetLines.append(canvas.polyline(set, n, upTo: set.length))
                        var point = set.position(n, step: 0)
                        var line = [canvas.point(point)]
                        for t in 0..<set.length {
                            point = (point.x + changes[(p * set.length + t) * 2], point.y + changes[(p * set.length + t) * 2 + 1])
                            line.append(canvas.point(point))
                        }
                        predictedLines.append(line)
                        outOfView.append(set.flags[n].contains(.outOfFrame))
                    }
                }
                let magnitude = Float(set.length * canvas.scale)
                var cells: [Image] = []
                for (lines, caption) in [(targetLines, "target"), (predictedLines, i == 0 ? "step \(step)" : "predicted")] {
                    var cell = base
                    let tracks = try TrackPalette.tracks(lines, outOfView: outOfView, maxMagnitude: magnitude)
                    do { try cell.draw(tracks: tracks, fade: 0.3) } catch { throw VisualizeError(.video(error)) }
                    if i == 0 { try canvas.caption(caption, on: &cell) }
                    cells.append(cell)
                }
                rows.append(cells)
            }
            sheets.append(try Image.mosaic(rows, gap: 2, background: [40, 40, 40]))
        }
        try Image.writeGIF(sheets, to: url, fps: fps)
        return url
    }
}
