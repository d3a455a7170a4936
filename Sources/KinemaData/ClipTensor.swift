import Dispatch
import KinemaTensor
import KinemaVideo

/// Frames become tensors here and nowhere else (docs/architecture-notes.md, "Layers"): a batch of clips of RGB
/// ``Image``s (HWC bytes) becomes one `[N, 3, T, H, W]` float tensor, normalised per channel.
public enum ClipTensor {
    /// `clips[n][t]` → `[N, 3, T, H, W]` float32 normalised with `normalization`'s statistics.
    public static func batch(_ clips: [[Image]], _ normalization: InputNormalization, threads: Int = 1) -> Tensor {
        batch(clips, mean: normalization.mean, std: normalization.std, threads: threads)
    }

    /// `clips[n][t]` → `[N, 3, T, H, W]` float32 normalised with any statistics (a transformers
    /// processor's, which may have no name).
    public static func batch(_ clips: [[Image]], _ statistics: InputStatistics, threads: Int = 1) -> Tensor {
        batch(clips, mean: statistics.mean, std: statistics.std, threads: threads)
    }

    /// `clips[n][t]` → `[N, 3, T, H, W]` float32 with `(pixel / 255 - mean) / std`.
    /// Every frame must be RGB and of one size; every clip of one length.
    ///
    /// Each byte goes through a per-channel table of `(byte / 255 − mean) / std` straight into its
    /// `[N, 3, T, H, W]` place (clips split over up to `threads` threads), then one copy into the
    /// tensor — instead of a byte tensor followed by a permute, a conversion and three element-wise
    /// passes, which costs about three times as long on MoSI's C_T·B-clip batches.
    public static func batch(
        _ clips: [[Image]], mean: [Float], std: [Float], threads: Int = 1
    ) -> Tensor {
        precondition(!clips.isEmpty && !clips[0].isEmpty, "a batch needs at least one clip of one frame")
        precondition(mean.count == 3 && std.count == 3, "mean and std need one value per channel")
        let first = clips[0][0]
        let (frames, height, width) = (clips[0].count, first.height, first.width)
        for clip in clips {
            precondition(clip.count == frames, "clips must have equal lengths (\(clip.count) vs \(frames))")
            for frame in clip {
                precondition(
                    frame.format == .rgb && frame.width == width && frame.height == height,
                    "frames must be RGB \(width)x\(height), got \(frame.format) \(frame.width)x\(frame.height)")
            }
        }
        let tables = (0..<3).flatMap { c in (0..<256).map { (Float($0) / 255 - mean[c]) / std[c] } }
        let plane = height * width
        let clipValues = 3 * frames * plane
        let values = [Float](unsafeUninitializedCapacity: clips.count * clipValues) { buffer, initialized in
            nonisolated(unsafe) let out = buffer.baseAddress!
            let workers = max(1, min(threads, clips.count))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                tables.withUnsafeBufferPointer { table in
                    for n in stride(from: worker, to: clips.count, by: workers) {
                        for (t, frame) in clips[n].enumerated() {
                            frame.pixels.withUnsafeBufferPointer { bytes in
                                for c in 0..<3 {
                                    let to = out + n * clipValues + (c * frames + t) * plane
                                    let lookup = table.baseAddress! + c * 256
                                    for i in 0..<plane { to[i] = lookup[Int(bytes[i * 3 + c])] }
                                }
                            }
                        }
                    }
                }
            }
            initialized = clips.count * clipValues
        }
        return Tensor(values, shape: [clips.count, 3, frames, height, width])
    }
}
