// Loss functions as methods on the prediction, like the tensor ops: `logits.crossEntropy(targets:)`
// traps on a programmer error, `try logits.checked.crossEntropy(targets:)` throws instead (use it
// where targets come from data you do not control).

/// How a loss combines its per-element values (`reduction=` in PyTorch).
public enum Reduction: Int, Sendable, CaseIterable {
    // Raw values are ATen's reduction codes.
    /// Per-element losses, unreduced.
    case none = 0
    /// Their mean (for cross-entropy with class weights: the weighted mean).
    case mean = 1
    /// Their sum.
    case sum = 2
}

extension TorchOp {
    static let crossEntropyLoss = TorchOp("aten::cross_entropy_loss")
    static let mseLoss = TorchOp("aten::mse_loss")
    static let l1Loss = TorchOp("aten::l1_loss")
    static let smoothL1Loss = TorchOp("aten::smooth_l1_loss")
}

extension Tensor.Checked {
    /// `F.cross_entropy` with class-index targets: `self` holds logits `[N, C]` (or `[N, C, *]`),
    /// `targets` int64 class indices `[N]` (or `[N, *]`).
    ///
    /// - Parameters:
    ///   - weight: `[C]` per-class weights.
    ///   - ignoreIndex: Targets with this value contribute neither loss nor gradient.
    ///   - labelSmoothing: ε in [0, 1]: the target becomes `(1 - ε)·onehot + ε/C` (Szegedy et al. 2016).
    public func crossEntropy(
        targets: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100, labelSmoothing: Double = 0,
        reduction: Reduction = .mean
    ) throws(TorchError) -> Tensor {
        guard targets.dtype == .int64 else {
            throw TorchError(
                code: .type, op: TorchOp.crossEntropyLoss.name,
                message: "class-index targets must be int64, got \(targets.summary)"
                    + (targets.dtype.isFloatingPoint
                        ? " (for class probabilities use crossEntropy(probabilities:))" : ""))
        }
        return try TorchOp.crossEntropyLoss.call(
            .tensor(base), .tensor(targets), .optionalTensor(weight), .int(reduction.rawValue), .int(ignoreIndex),
            .double(labelSmoothing))
    }

    /// `F.cross_entropy` with soft targets: `probabilities` has the logits' shape `[N, C, *]` and
    /// holds a distribution over the classes (mixup, distillation); the loss is
    /// `-Σ_c w_c·p_c·log_softmax(x)_c` per sample.
    public func crossEntropy(
        probabilities: Tensor, weight: Tensor? = nil, labelSmoothing: Double = 0, reduction: Reduction = .mean
    ) throws(TorchError) -> Tensor {
        guard probabilities.dtype.isFloatingPoint, probabilities.shape == base.shape else {
            throw TorchError(
                code: .value, op: TorchOp.crossEntropyLoss.name,
                message: "class probabilities must be floating point with the logits' shape \(base.shape), got "
                    + "\(probabilities.summary)")
        }
        return try TorchOp.crossEntropyLoss.call(
            .tensor(base), .tensor(probabilities), .optionalTensor(weight), .int(reduction.rawValue), .int(-100),
            .double(labelSmoothing))
    }

    /// `F.mse_loss`: `(x - y)²`. Unlike PyTorch, which broadcasts with a warning, the shapes must match.
    public func mseLoss(_ target: Tensor, reduction: Reduction = .mean) throws(TorchError) -> Tensor {
        try requireSameShape(target, "mse_loss")
        return try TorchOp.mseLoss.call(.tensor(base), .tensor(target), .int(reduction.rawValue))
    }

    /// `F.l1_loss`: `|x - y|`; the shapes must match.
    public func l1Loss(_ target: Tensor, reduction: Reduction = .mean) throws(TorchError) -> Tensor {
        try requireSameShape(target, "l1_loss")
        return try TorchOp.l1Loss.call(.tensor(base), .tensor(target), .int(reduction.rawValue))
    }

    /// `F.smooth_l1_loss` (Huber-like): `0.5·d²/β` where `|d| < β`, else `|d| - 0.5·β`, `d = x - y`;
    /// the shapes must match.
    public func smoothL1Loss(_ target: Tensor, beta: Double = 1, reduction: Reduction = .mean) throws(TorchError)
        -> Tensor
    {
        try requireSameShape(target, "smooth_l1_loss")
        return try TorchOp.smoothL1Loss.call(.tensor(base), .tensor(target), .int(reduction.rawValue), .double(beta))
    }

    /// The Charbonnier penalty `ρ(d) = √(d² + ε²)` with `d = x - y`, a differentiable L1
    /// (Charbonnier et al., ICIP 1994). CGM-Net's reconstruction losses use it with ε = 1e-6
    /// (Tian et al., ECCV 2020, Eq. 6 and the LR supervision after it), the default here.
    /// The shapes must match; `.mean` is the `mean(√(d² + ε²))` of DAIN's implementation.
    public func charbonnierLoss(_ target: Tensor, epsilon: Double = 1e-6, reduction: Reduction = .mean)
        throws(TorchError) -> Tensor
    {
        try requireSameShape(target, "charbonnier_loss")
        let penalty = (try subtract(target).square() + epsilon * epsilon).sqrt()
        switch reduction {
        case .none: return penalty
        case .mean: return try penalty.checked.mean()
        case .sum: return try penalty.checked.sum()
        }
    }

    private func requireSameShape(_ target: Tensor, _ op: String) throws(TorchError) {
        guard target.shape == base.shape else {
            throw TorchError(
                code: .value, op: op,
                message: "target shape \(target.shape) differs from the prediction's \(base.shape)",
                operands: [base.summary, target.summary])
        }
    }
}

extension Tensor {
    /// `F.cross_entropy` with class-index targets; see
    /// ``Tensor/Checked/crossEntropy(targets:weight:ignoreIndex:labelSmoothing:reduction:)``.
    public func crossEntropy(
        targets: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100, labelSmoothing: Double = 0,
        reduction: Reduction = .mean, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.crossEntropy(
                targets: targets, weight: weight, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing,
                reduction: reduction)
        }
    }

    /// `F.cross_entropy` with class probabilities; see
    /// ``Tensor/Checked/crossEntropy(probabilities:weight:labelSmoothing:reduction:)``.
    public func crossEntropy(
        probabilities: Tensor, weight: Tensor? = nil, labelSmoothing: Double = 0, reduction: Reduction = .mean,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.crossEntropy(
                probabilities: probabilities, weight: weight, labelSmoothing: labelSmoothing, reduction: reduction)
        }
    }

    /// `F.mse_loss`; see ``Tensor/Checked/mseLoss(_:reduction:)``.
    public func mseLoss(
        _ target: Tensor, reduction: Reduction = .mean, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.mseLoss(target, reduction: reduction) }
    }

    /// `F.l1_loss`; see ``Tensor/Checked/l1Loss(_:reduction:)``.
    public func l1Loss(
        _ target: Tensor, reduction: Reduction = .mean, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.l1Loss(target, reduction: reduction) }
    }

    /// `F.smooth_l1_loss`; see ``Tensor/Checked/smoothL1Loss(_:beta:reduction:)``.
    public func smoothL1Loss(
        _ target: Tensor, beta: Double = 1, reduction: Reduction = .mean,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.smoothL1Loss(target, beta: beta, reduction: reduction) }
    }

    /// The Charbonnier loss `√((x - y)² + ε²)`; see ``Tensor/Checked/charbonnierLoss(_:epsilon:reduction:)``.
    public func charbonnierLoss(
        _ target: Tensor, epsilon: Double = 1e-6, reduction: Reduction = .mean,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.charbonnierLoss(target, epsilon: epsilon, reduction: reduction) }
    }
}
