/// `nn.Dropout`: in ``Mode/train`` zeroes each element with probability `p` and scales the rest
/// by `1 / (1 - p)`; in ``Mode/eval`` the identity.
///
/// Without a generator the masks come from libtorch's default generator (`Engine.seed` gives
/// PyTorch's masks after `torch.manual_seed`); see `Tensor.Checked.dropout(p:training:generator:)`.
public struct Dropout: Layer {
    public let p: Double
    public let generator: Generator?

    /// `p` must lie in [0, 1].
    public init(p: Double = 0.5, generator: Generator? = nil) throws(ModuleError) {
        guard (0...1).contains(p) else {
            throw ModuleError(.invalidConfiguration, path: "", "Dropout probability must be in [0, 1], got \(p)")
        }
        self.p = p
        self.generator = generator
    }

    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        input.dropout(p: p, training: mode == .train, generator: generator)
    }
}

/// Stochastic depth (Huang et al. 2016) as timm's `DropPath`: in ``Mode/train`` each *sample* of
/// the batch (dimension 0) is zeroed with probability `p` — the residual branch it multiplies is
/// dropped — and the kept samples are scaled by `1 / (1 - p)` when `scaleByKeep`; in
/// ``Mode/eval``, or with `p == 0`, the identity.
///
/// The mask is drawn like timm's (`bernoulli_(1 - p)` on a `[N, 1, …, 1]` tensor), so the same
/// generator state gives timm's masks.
public struct DropPath: Layer {
    public let p: Double
    public let scaleByKeep: Bool
    public let generator: Generator?

    /// `p` must lie in [0, 1].
    public init(p: Double, scaleByKeep: Bool = true, generator: Generator? = nil) throws(ModuleError) {
        guard (0...1).contains(p) else {
            throw ModuleError(.invalidConfiguration, path: "", "DropPath probability must be in [0, 1], got \(p)")
        }
        self.p = p
        self.scaleByKeep = scaleByKeep
        self.generator = generator
    }

    public func callAsFunction(_ input: Tensor, mode: Mode) -> Tensor {
        if p == 0 || mode == .eval { return input }
        let keep = 1 - p
        let shape = [input.size(0)] + Array(repeating: 1, count: input.rank - 1)
        let mask = Tensor.zeros(shape, dtype: input.dtype, device: input.device)
        mask.bernoulliInPlace(keep, generator: generator)
        if keep > 0 && scaleByKeep { mask.divideInPlace(keep) }
        return input * mask
    }
}
