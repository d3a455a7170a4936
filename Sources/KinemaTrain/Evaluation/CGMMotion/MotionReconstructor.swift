import KinemaVideo

/// A method scored by CGM-Net's motion evaluation (Tian et al., ECCV 2020, §4.1): given the `T`
/// frames of a clip it may see, it synthesises each frame from its predecessor and the motion it
/// represents between them (Table 1 left: how well the motion is represented), and predicts the
/// unseen frame `T` (Table 1 right: 1-step frame prediction).
///
/// The optical-flow and copy baselines conform to it; the CGM-Net model will be one more row:
/// its motion maps applied to frame t by Eq. 1 give `seen`, its last motion map gives `next`.
/// A reconstructor may hold state (flow estimators' buffers): use one per thread.
public protocol MotionReconstructor {
    /// The method's row name in the report, e.g. `dis-fast`.
    var name: String { get }

    /// The reconstruction of `clip` (frames 0…T−1 of one clip, T ≥ 2, all of one size and format).
    func reconstruct(clip: [Image]) throws -> MotionReconstruction
}

/// What a ``MotionReconstructor`` makes of a clip of `T` frames.
public struct MotionReconstruction: Sendable {
    /// `T − 1` frames: `seen[t]` is frame t + 1 synthesised from frame t and the motion between
    /// frames t and t + 1 (which a method may measure with frame t + 1: it is seen).
    public var seen: [Image]
    /// The prediction of frame T, which the method has not seen.
    public var next: Image

    public init(seen: [Image], next: Image) {
        self.seen = seen
        self.next = next
    }
}
