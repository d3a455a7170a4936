// What a masked autoencoder sees and predicts (VideoMAE Fig. 1 and its visualisation script):
// for each clip a row of three cells — the original, the masked input the encoder sees (masked
// tubes grey), and the reconstruction (visible tubes as they are, masked ones predicted) —
// animated over the clip's frames.
import Foundation
import KinemaPretext
import KinemaTensor
import KinemaVideo

public enum ReconstructionGIF {
    /// Writes the animated grid of `original` (normalised clips `[N, C, T, H, W]`), their `masks`
    /// (token order, `true` = masked) and the model's `predictions` `[N, M, channels]` for the
    /// `masked` tokens; the first row's first cell is captioned with `step`. Cells are at least
    /// 128 px wide (small clips are enlarged).
    @discardableResult
    public static func write(
        original: Tensor, masks: [[Bool]], predictions: Tensor, masked: Tensor, target: PixelTarget, step: Int, to url: URL,
        fps: Double = 4
    ) throws(VisualizeError) -> URL {
        let columns = [
            target.maskedInput(original, masks: masks, grey: 0.5), target.reconstruction(predictions, masked: masked, clip: original),
        ]
        let clips = [withNoGrad { target.pixels(original) }] + columns
        let (n, frames) = (original.size(0), original.size(2))
        let (height, width) = (original.size(3), original.size(4))
        let scale = max(1, (128 + width - 1) / width)
        let style = try MoSISampleSheet.labelStyle(fitting: width * scale)
        let captions = ["original", "masked", "step \(step)"]
        // [N, C, T, H, W] in [0, 1] → bytes [N, T, H, W, C].
        let bytes = clips.map { clip in
            (clip.clamped(min: 0, max: 1) * 255).rounded().to(.uint8).permuted([0, 2, 3, 4, 1]).contiguous().array(of: UInt8.self)
        }
        let frameBytes = height * width * 3
        var sheets: [Image] = []
        for t in 0..<frames {
            var rows: [[Image]] = []
            for i in 0..<n {
                let offset = (i * frames + t) * frameBytes
                rows.append(try bytes.enumerated().map { column, values throws(VisualizeError) in
                    let frame = Image(width: width, height: height, format: .rgb, pixels: Array(values[offset..<(offset + frameBytes)]))
                    return try MoSISampleSheet.drawing(on: frame) { tile throws(VideoError) in
                        tile = try tile.resized(width: width * scale, height: height * scale)
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
