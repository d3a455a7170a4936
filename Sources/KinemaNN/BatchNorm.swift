/// Batch normalization (Ioffe & Szegedy 2015), `nn.BatchNorm1d/2d/3d`: each channel of
/// `[N, C, *]` is normalized, then scaled by `weight` (γ) and shifted by `bias` (β).
///
/// In ``Mode/train`` the batch's statistics normalize, and (with `trackRunningStats`) the running
/// statistics move towards them: `running = (1 - momentum)·running + momentum·batch` (unbiased
/// variance), or a cumulative average when `momentum` is nil; `num_batches_tracked` counts the
/// steps. In ``Mode/eval`` the running statistics normalize. Registered under its path with
/// PyTorch's names: `weight`, `bias` (parameters, unless `affine: false`), `running_mean`,
/// `running_var`, `num_batches_tracked` (int64 scalar) (buffers, unless `trackRunningStats: false`).
///
/// Build one with ``BatchNorm1d``, ``BatchNorm2d`` or ``BatchNorm3d``.
public class BatchNorm: Layer, Module {
    public let path: ParameterPath
    /// `[C]` scale γ, initially 1.
    public let weight: Tensor?
    /// `[C]` shift β, initially 0.
    public let bias: Tensor?
    /// `[C]`, initially 0.
    public let runningMean: Tensor?
    /// `[C]`, initially 1.
    public let runningVar: Tensor?
    /// Training steps taken (int64, shape `[]`).
    public let numBatchesTracked: Tensor?
    public let eps: Double
    /// Weight of the newest batch in the running statistics; nil for a cumulative average.
    public let momentum: Double?
    let name: String
    let inputRanks: [Int]

    init(
        _ path: ParameterPath, name: String, inputRanks: [Int], features: Int, eps: Double, momentum: Double?,
        affine: Bool, trackRunningStats: Bool
    ) throws(ModuleError) {
        guard features > 0 else {
            throw ModuleError(
                .invalidConfiguration, path: path.name, "\(name) at '\(path)' needs features > 0, got \(features)")
        }
        self.path = path
        self.name = name
        self.inputRanks = inputRanks
        self.eps = eps
        self.momentum = momentum
        let store = path.store
        weight =
            affine
            ? try path.parameter("weight", Tensor.ones([features], dtype: store.dtype, device: store.device)) : nil
        bias = affine ? try path.parameter("bias", shape: [features]) : nil
        if trackRunningStats {
            runningMean = try path.buffer(
                "running_mean", Tensor.zeros([features], dtype: store.dtype, device: store.device))
            runningVar = try path.buffer(
                "running_var", Tensor.ones([features], dtype: store.dtype, device: store.device))
            numBatchesTracked = try path.buffer(
                "num_batches_tracked", Tensor.zeros([], dtype: .int64, device: store.device))
        } else {
            runningMean = nil
            runningVar = nil
            numBatchesTracked = nil
        }
    }

    /// Normalizes `input` `[N, C, *]` as in PyTorch's `_BatchNorm.forward`.
    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(
            inputRanks.contains(input.rank),
            "\(name) at '\(path)' expects a \(inputRanks.map { "\($0)-D" }.joined(separator: " or ")) input, "
                + "got \(input.summary)"
        )
        var factor = momentum ?? 0
        if mode == .train, let numBatchesTracked {
            withNoGrad { numBatchesTracked.addInPlace(Tensor(scalar: Int64(1))) }
            if momentum == nil { factor = 1 / Double(numBatchesTracked.item(Int64.self)) }
        }
        if mode == .train, let group = path.store.batchNormGroup {
            return synchronized(input, over: group, factor: factor)
        }
        // Without running statistics, batch statistics normalize in both modes (as in PyTorch).
        return input.batchNorm(
            runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
            training: mode == .train || runningMean == nil, momentum: factor, eps: eps)
    }
}

extension BatchNorm {
    /// Training-mode batch normalisation with the global batch's statistics (SyncBatchNorm):
    /// the mean, then the biased variance around it, each a sum over the ranks that autograd
    /// differentiates (``ProcessGroup/allReduceSumDifferentiable(_:)``), so the gradient is the
    /// one of the concatenated batch. Two passes rather than E[x²] − E[x]², which cancels.
    /// The running variance takes the unbiased global variance, as in PyTorch.
    func synchronized(_ input: Tensor, over group: ProcessGroup, factor: Double) -> Tensor {
        let channels = input.shape[1]
        let reduced = [0] + Array(2..<input.rank)
        let broadcastShape = [1, channels] + Array(repeating: 1, count: input.rank - 2)
        let localCount = Double(input.count / channels)
        let counted = Tensor.cat([input.sum(dims: reduced), Tensor([localCount]).to(input.dtype)])
        let totals = orTrap { try group.allReduceSumDifferentiable(counted) }
        let count = totals.narrowed(dim: 0, start: channels, length: 1).detached()
        let mean = totals.narrowed(dim: 0, start: 0, length: channels) / count
        let centered = input - mean.reshaped(broadcastShape)
        let squares = orTrap { try group.allReduceSumDifferentiable(centered.square().sum(dims: reduced)) }
        let variance = squares / count
        var output = centered * (variance + eps).rsqrt().reshaped(broadcastShape)
        if let weight { output = output * weight.reshaped(broadcastShape) }
        if let bias { output = output + bias.reshaped(broadcastShape) }
        if let runningMean, let runningVar {
            let n = count.item(Double.self)
            withNoGrad {
                runningMean.lerpInPlace(mean.detached(), weight: factor)
                runningVar.lerpInPlace(variance.detached() * (n / max(n - 1, 1)), weight: factor)
            }
        }
        return output
    }
}

/// `nn.BatchNorm1d`: input `[N, C]` or `[N, C, L]`.
public final class BatchNorm1d: BatchNorm {
    public init(
        _ path: ParameterPath, features: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
        trackRunningStats: Bool = true
    ) throws(ModuleError) {
        try super.init(
            path, name: "BatchNorm1d", inputRanks: [2, 3], features: features, eps: eps, momentum: momentum,
            affine: affine, trackRunningStats: trackRunningStats)
    }
}

/// `nn.BatchNorm2d`: input `[N, C, H, W]`.
public final class BatchNorm2d: BatchNorm {
    public init(
        _ path: ParameterPath, features: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
        trackRunningStats: Bool = true
    ) throws(ModuleError) {
        try super.init(
            path, name: "BatchNorm2d", inputRanks: [4], features: features, eps: eps, momentum: momentum,
            affine: affine, trackRunningStats: trackRunningStats)
    }
}

/// `nn.BatchNorm3d`: input `[N, C, T, H, W]`.
public final class BatchNorm3d: BatchNorm {
    public init(
        _ path: ParameterPath, features: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
        trackRunningStats: Bool = true
    ) throws(ModuleError) {
        try super.init(
            path, name: "BatchNorm3d", inputRanks: [5], features: features, eps: eps, momentum: momentum,
            affine: affine, trackRunningStats: trackRunningStats)
    }
}
