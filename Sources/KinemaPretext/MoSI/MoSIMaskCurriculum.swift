// A curriculum on the static mask's area (a Kinema addition, not in MoSI): the moving area starts
// large and shrinks linearly to the paper's ratios. A tiny CPU model trained on the paper's mask
// (motion in only 9–25 % of the frame) from the first step barely learns in a few hundred steps
// (configs/mosi/tiny_cpu.yaml); starting from global motion it first learns to read motion, then
// to find it. The mask depends on the training step alone, so a resumed run sees the same data.

/// The moving area's side ratio shrinks linearly from `startRatio` at step 0 to the final mask's
/// ratio(s) at step `steps`, and stays there.
public struct MoSIMaskCurriculum: Sendable, Equatable {
    /// Side ratio of the moving area at step 0 (1: the whole frame moves, as unmasked MoSI).
    public var startRatio: Double
    /// Steps over which the ratio reaches the final mask's.
    public var steps: Int

    public init(startRatio: Double, steps: Int) {
        self.startRatio = startRatio
        self.steps = steps
    }

    /// Throws unless the start ratio is a side ratio and the curriculum lasts at least one step.
    public func validate() throws(MoSIError) {
        guard startRatio > 0, startRatio <= 1 else {
            throw MoSIError("the mask curriculum's start ratio must lie in (0, 1], got \(startRatio)")
        }
        guard steps >= 1 else { throw MoSIError("the mask curriculum must last at least 1 step, got \(steps)") }
    }

    /// The mask of training step `step`: each of `final`'s ratios r becomes
    /// `r + (startRatio − r) · (1 − step / steps)`, exactly r from step `steps` on.
    public func mask(atStep step: Int, final: MoSIStaticMask) -> MoSIStaticMask {
        let remaining = 1 - Double(min(max(step, 0), steps)) / Double(steps)
        func ratio(_ end: Double) -> Double { end + (startRatio - end) * remaining }
        switch final {
        case .none: return .none
        case .randomRatio(let range):
            // Ordered by construction; min/max only guard against a rounding inversion.
            let (low, high) = (ratio(range.lowerBound), ratio(range.upperBound))
            return .randomRatio(min(low, high)...max(low, high))
        case .fixedRatio(let r): return .fixedRatio(ratio(r))
        }
    }
}
