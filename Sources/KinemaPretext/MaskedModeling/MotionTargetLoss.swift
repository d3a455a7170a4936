import KinemaTensor

/// Which of MME's targets a prediction head predicts.
public enum MotionTargetPart: String, Sendable, Hashable {
    /// The shape features (HOG, Sun et al. 2023 Eq. 5, or the released per-frame HOG).
    case shape
    /// The position changes along the trajectories (Eq. 4).
    case trajectory
    /// The baselines' short-term motion target (flow, HOF or MBH, Table 5), as configured by
    /// ``MMETargetConfiguration/shortTerm``.
    case shortTerm

    /// Values per token.
    public func channels(of configuration: MMETargetConfiguration) -> Int {
        switch self {
        case .shape: configuration.hogChannels
        case .trajectory: configuration.trajectoryChannels
        case .shortTerm: configuration.shortTermChannels
        }
    }

    /// This part's targets `[N, L, channels]` in a batch.
    public func values(in batch: MMETargetBatch) -> Tensor {
        switch self {
        case .shape: return batch.shape
        case .trajectory: return batch.trajectory
        case .shortTerm:
            guard let values = batch.shortTerm else { preconditionFailure("a short-term motion head needs targets computed with a shortTerm configured") }
            return values
        }
    }
}

/// MME's loss (Sun et al. 2023 Eq. 1 with Eq. 7's mask): for each predicted part, the squared
/// error summed over a masked token's target values — trajectory values only for tokens whose
/// trajectories stay in view — and divided by the number of masked tokens; then the mean over
/// the parts, as the released code's `(L_traj + L_hog) / 2`.
public struct MotionTargetLoss: Sendable {
    /// The parts in the order of the prediction's channels.
    public let parts: [MotionTargetPart]
    /// Each part's channels within a prediction.
    public let ranges: [Range<Int>]

    public init(parts: [MotionTargetPart], ranges: [Range<Int>]) {
        precondition(!parts.isEmpty && parts.count == ranges.count, "one channel range per predicted part")
        self.parts = parts
        self.ranges = ranges
    }

    /// The loss of `predictions` `[N, M, channels]` for the masked tokens of `tokens`, against
    /// `targets` (every token's).
    public func callAsFunction(_ predictions: Tensor, _ targets: MMETargetBatch, _ tokens: MaskedTokens) -> Tensor {
        loss(targets, tokens) { k, _ in predictions.narrowed(dim: 2, start: ranges[k].lowerBound, length: ranges[k].count) }
    }

    /// The same loss for the predictor that knows each masked token's mean target value (per
    /// part) and nothing finer: the bar a model has to clear.
    public func patchMean(_ targets: MMETargetBatch, _ tokens: MaskedTokens) -> Tensor {
        loss(targets, tokens) { _, target in target.mean(dims: [2], keepdim: true).expanded(as: target) }
    }

    private func loss(
        _ targets: MMETargetBatch, _ tokens: MaskedTokens, _ prediction: (Int, Tensor) -> Tensor
    ) -> Tensor {
        let maskedCount = Double(tokens.masked.size(0) * tokens.masked.size(1))
        let valid = tokens.maskedRows(of: targets.valid.to(.float32).unsqueezed(-1)).squeezed(-1)
        let losses = parts.indices.map { k in
            let target = tokens.maskedRows(of: parts[k].values(in: targets))
            var error = (prediction(k, target) - target).square().sum(dims: [2])
            if parts[k] == .trajectory { error = error * valid.to(error.dtype) }
            return error.sum() / maskedCount
        }
        return losses.dropFirst().reduce(losses[0], +) / Double(losses.count)
    }
}
