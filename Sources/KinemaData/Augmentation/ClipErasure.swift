import KinemaTensor

/// The deterministic part of ``RandomErasing`` for one clip: which box of each frame is erased,
/// and the seed of the N(0, 1) values that replace it.
public struct ClipErasure: Sendable, Equatable {
    /// The erased box of frame t, or nil where the frame is kept.
    public var boxes: [CropBox?]
    /// Seeds the libtorch generator the noise is drawn from.
    public var noiseSeed: UInt64

    public init(boxes: [CropBox?], noiseSeed: UInt64) {
        self.boxes = boxes
        self.noiseSeed = noiseSeed
    }

    /// Whether no frame is erased.
    public var isEmpty: Bool { boxes.allSatisfy { $0 == nil } }

    /// Replaces, in place, each box of clip `n` of `clips` (`[N, C, T, H, W]`, normalised) by
    /// standard normal values, every channel, pixel and frame its own draw; frames run in order,
    /// each drawing `[C, h, w]` values from one generator seeded with ``noiseSeed``.
    public func apply(to clips: Tensor, clip n: Int) throws(TorchError) {
        guard clips.rank == 5, (0..<clips.size(0)).contains(n), clips.size(2) == boxes.count else {
            throw TorchError(
                code: .value, op: "ClipErasure.apply",
                message: "clips \(clips.summary) must be [N, C, T, H, W] with clip \(n) and \(boxes.count) frames")
        }
        guard !isEmpty else { return }
        let (channels, height, width) = (clips.size(1), clips.size(3), clips.size(4))
        let generator = try Generator(seed: noiseSeed, device: clips.device)
        for (t, box) in boxes.enumerated() {
            guard let box else { continue }
            guard box.x >= 0, box.y >= 0, box.x + box.width <= width, box.y + box.height <= height else {
                throw TorchError(code: .value, op: "ClipErasure.apply", message: "box \(box) is outside \(width)x\(height)")
            }
            let noise = Tensor.randn(
                [channels, box.height, box.width], generator: generator, dtype: clips.dtype, device: clips.device)
            try clips.checked.assign(
                noise, at: n, TensorIndex.all, t, box.y..<(box.y + box.height), box.x..<(box.x + box.width))
        }
    }
}
