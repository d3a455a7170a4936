// CGM-Net's motion maps as pictures (Tian et al., ECCV 2020, Fig. 4 and Fig. 5): each pixel's
// filter drawn as the displacement it applies, in the flow colour wheel, beside the frames it
// moves and the frames it makes.
import Foundation
import KinemaModels
import KinemaMotion
import KinemaTensor
import KinemaVideo

public enum MotionMapGIF {
    /// The displacement each filter of `maps` `[M, k², H, W]` applies (Eq. 1), one field per map:
    /// its taps' centre of mass `Σ w·(dx, dy) / Σ w` in pixels. A one-hot filter gives its tap's
    /// offset; a softmax filter (taps summing to 1) the mean of its offsets weighted by its taps;
    /// where an unnormalised filter's taps sum to (almost) 0, the displacement is 0.
    public static func displacements(_ maps: Tensor) throws(VisualizeError) -> [FlowField] {
        let (m, k2, h, w) = (maps.shape[0], maps.shape[1], maps.shape[2], maps.shape[3])
        let k = Int(Double(k2).squareRoot().rounded())
        precondition(k * k == k2 && k % 2 == 1, "motion maps have k² channels for an odd k, got \(k2)")
        var offsets = [Float](repeating: 0, count: 3 * k2)  // rows: dx, dy, 1
        for dy in -(k / 2)...(k / 2) {
            for dx in -(k / 2)...(k / 2) {
                let channel = MotionMapSynthesis.channel(dx: dx, dy: dy, kernel: k)
                (offsets[channel], offsets[k2 + channel], offsets[2 * k2 + channel]) = (Float(dx), Float(dy), 1)
            }
        }
        // [3, k²] · [M, k², H·W] → [M, 3, H·W]: moved x, moved y and the taps' sum per pixel.
        let local: Tensor
        do { local = try maps.to(.cpu) } catch { throw VisualizeError.invalid("motion maps that cannot be copied to the CPU: \(error)") }
        let sums = withNoGrad {
            Tensor(offsets, shape: [1, 3, k2]).matmul(local.to(.float32).reshaped([m, k2, h * w])).contiguous().array(of: Float.self)
        }
        return (0..<m).map { i in
            var vectors = [Float](repeating: 0, count: h * w * 2)
            let base = i * 3 * h * w
            for p in 0..<(h * w) {
                let total = sums[base + 2 * h * w + p]
                guard abs(total) > 1e-6 else { continue }
                vectors[2 * p] = sums[base + p] / total
                vectors[2 * p + 1] = sums[base + h * w + p] / total
            }
            return FlowField(width: w, height: h, vectors: vectors)
        }
    }
}

extension MotionMapGIF {
    /// Writes, for each clip of `frames` `[N, 3, T + 1, H, W]` (in [−1, 1]: the network's input and
    /// the frame after it), a row of frame t | frame t + 1 | t + 1 synthesised by the
    /// high-resolution map t | that map's displacements in the flow colour wheel (saturated at
    /// `k̂/2` pixels), animated over t; the last step is the unseen frame and its prediction.
    @discardableResult
    public static func write(frames: Tensor, output: CGMNetOutput, step: Int, to url: URL, fps: Double = 3) throws(VisualizeError) -> URL {
        let (n, t) = (frames.shape[0], output.highResolutionMaps.shape[1])
        let (h, w) = (frames.shape[3], frames.shape[4])
        let clip = frames.narrowed(dim: 2, start: 0, length: t)
        let synthesised = withNoGrad { output.reconstructions(of: clip) }
        let fields = try displacements(output.highResolutionMaps.reshaped([n * t] + Array(output.highResolutionMaps.shape[2...])))
        let maximum = Float(Int(Double(output.highResolutionMaps.shape[2]).squareRoot().rounded()) / 2)
        func bytes(_ video: Tensor) -> [UInt8] {  // [N, 3, T', H, W] in [−1, 1] → [N, T', H, W, 3]
            ((video + 1) * 127.5).clamped(min: 0, max: 255).rounded().to(.uint8).permuted([0, 2, 3, 4, 1]).contiguous().array(of: UInt8.self)
        }
        let (real, made) = (bytes(frames), bytes(synthesised))
        let frameBytes = h * w * 3
        func image(_ values: [UInt8], clip i: Int, frame j: Int, of count: Int) -> Image {
            let offset = (i * count + j) * frameBytes
            return Image(width: w, height: h, format: .rgb, pixels: Array(values[offset..<(offset + frameBytes)]))
        }
        let scale = max(1, (128 + w - 1) / w)
        let style = try MoSISampleSheet.labelStyle(fitting: w * scale)
        var sheets: [Image] = []
        for j in 0..<t {
            let captions = ["frame \(j)", j == t - 1 ? "\(j + 1) unseen" : "frame \(j + 1)", j == t - 1 ? "predicted" : "synthesised", "step \(step)"]
            var rows: [[Image]] = []
            for i in 0..<n {
                let map: Image
                do { map = try fields[i * t + j].colorized(maxMagnitude: maximum) } catch { throw VisualizeError(.motion(error)) }
                let cells = [image(real, clip: i, frame: j, of: t + 1), image(real, clip: i, frame: j + 1, of: t + 1), image(made, clip: i, frame: j, of: t), map]
                rows.append(try cells.enumerated().map { column, cell throws(VisualizeError) in
                    try MoSISampleSheet.drawing(on: cell) { tile throws(VideoError) in
                        tile = try tile.resized(width: w * scale, height: h * scale)
                        if i == 0 { try tile.draw(text: captions[column], at: (0, 0), style: style, background: (16, 16, 16)) }
                    }
                })
            }
            sheets.append(try Image.mosaic(rows, gap: 2, background: [40, 40, 40]))
        }
        try Image.writeGIF(sheets, to: url, fps: fps)
        return url
    }
}
