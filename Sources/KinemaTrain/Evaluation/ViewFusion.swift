import KinemaTensor

/// Multi-view test fusion: a video's score is the mean over its V views of the per-view softmax
/// (VideoMAE's `merge`; TAdaConv sums, which ranks classes the same way), docs/reference-implementations.md
/// §1.9, §3.9, §5.2.
public enum ViewFusion {
    /// `logits` `[N·V, C]` — video n's views in rows n·V ..< (n+1)·V — → fused class
    /// probabilities `[N, C]`, each row summing to 1.
    public static func softmaxMean(_ logits: Tensor, views: Int) throws(TorchError) -> Tensor {
        let shape = logits.shape
        guard views >= 1, shape.count == 2, shape[0] % views == 0 else {
            throw TorchError(
                code: .value, op: "ViewFusion.softmaxMean",
                message: "logits \(shape) must be [N·V, C] with V = \(views) views per video")
        }
        return try logits.checked.reshaped([shape[0] / views, views, shape[1]]).checked.softmax(dim: 2).checked
            .mean(dims: [1])
    }
}
