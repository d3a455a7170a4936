// Normalization (torch.nn.functional.batch_norm, layer_norm, group_norm).

extension TorchOp {
    static let batchNorm = TorchOp("aten::batch_norm")
    static let layerNorm = TorchOp("aten::layer_norm")
    static let groupNorm = TorchOp("aten::group_norm")
}

extension Tensor.Checked {
    /// `F.batch_norm`: normalizes each channel of `[N, C, *]` over the batch and spatial dimensions.
    ///
    /// With `training: true` the batch statistics are used, and the running statistics (when given)
    /// are updated in place: `running = (1 - momentum)·running + momentum·batch`, with the unbiased
    /// batch variance, exactly as PyTorch. With `training: false` the running statistics normalize.
    /// - Parameters:
    ///   - runningMean: `[C]` running mean, or nil (then `training` must be true).
    ///   - runningVar: `[C]` running variance, or nil.
    ///   - weight: `[C]` scale γ (nil: 1). - bias: `[C]` shift β (nil: 0).
    public func batchNorm(
        runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil, bias: Tensor? = nil, training: Bool,
        momentum: Double = 0.1, eps: Double = 1e-5
    ) throws(TorchError) -> Tensor {
        if !training && (runningMean == nil || runningVar == nil) {
            throw TorchError(
                code: .argument, op: TorchOp.batchNorm.name,
                message:
                    "evaluation mode needs runningMean and runningVar (pass training: true to use batch statistics)")
        }
        // cudnn_enabled follows torch.backends.cudnn.enabled's default (true).
        return try TorchOp.batchNorm.call(
            .tensor(base), .optionalTensor(weight), .optionalTensor(bias), .optionalTensor(runningMean),
            .optionalTensor(runningVar), .bool(training), .double(momentum), .double(eps), .bool(true))
    }

    /// `F.layer_norm`: normalizes over the trailing dimensions `normalizedShape` (e.g. `[C]` for
    /// tokens `[N, L, C]`); `weight`/`bias` have shape `normalizedShape`.
    public func layerNorm(
        normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5
    ) throws(TorchError) -> Tensor {
        try TorchOp.layerNorm.call(
            .tensor(base), .ints(normalizedShape), .optionalTensor(weight), .optionalTensor(bias), .double(eps),
            .bool(true))
    }

    /// `F.group_norm`: splits the `C` channels of `[N, C, *]` into `groups` groups and normalizes
    /// each over its channels and spatial positions; `weight`/`bias` are `[C]`.
    public func groupNorm(
        groups: Int, weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5
    ) throws(TorchError) -> Tensor {
        try TorchOp.groupNorm.call(
            .tensor(base), .int(groups), .optionalTensor(weight), .optionalTensor(bias), .double(eps), .bool(true))
    }
}

extension Tensor {
    /// `F.batch_norm`; see ``Tensor/Checked/batchNorm(runningMean:runningVar:weight:bias:training:momentum:eps:)``.
    public func batchNorm(
        runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil, bias: Tensor? = nil, training: Bool,
        momentum: Double = 0.1, eps: Double = 1e-5, file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.batchNorm(
                runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias, training: training,
                momentum: momentum, eps: eps)
        }
    }

    /// `F.layer_norm`; see ``Tensor/Checked/layerNorm(normalizedShape:weight:bias:eps:)``.
    public func layerNorm(
        normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) {
            try checked.layerNorm(normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
        }
    }

    /// `F.group_norm`; see ``Tensor/Checked/groupNorm(groups:weight:bias:eps:)``.
    public func groupNorm(
        groups: Int, weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5,
        file: StaticString = #fileID, line: UInt = #line
    ) -> Tensor {
        orTrap(file: file, line: line) { try checked.groupNorm(groups: groups, weight: weight, bias: bias, eps: eps) }
    }
}
