import Foundation

/// Parameter initialisation, as `torch.nn.init`: each function fills a tensor in place (without
/// recording gradients) and takes an optional `Generator`; with the same generator state it
/// draws exactly what `torch.nn.init` draws (same formulas, same `uniform_`/`normal_` calls).
///
/// ```swift
/// Init.kaimingNormal(conv.weight, mode: .fanOut, nonlinearity: .relu)
/// Init.truncNormal(head.weight, std: 0.02)
/// ```
///
/// The fan-based initialisers need a tensor of rank ≥ 2 (`[out, in, *kernel]`); a smaller one is a
/// programmer error and traps, as PyTorch raises.
public enum Init {
    /// Which fan scales the variance: `fanIn` keeps forward activations' variance, `fanOut`
    /// backward gradients'.
    public enum FanMode: Sendable {
        case fanIn, fanOut
    }

    /// The nonlinearity that follows, for the recommended gain (`torch.nn.init.calculate_gain`).
    public enum Nonlinearity: Sendable {
        /// Linear and convolution layers, identity: gain 1.
        case linear
        case sigmoid
        /// Gain 5/3.
        case tanh
        /// Gain √2.
        case relu
        /// Gain √(2 / (1 + a²)) with the negative slope `a` (0.01 when not given).
        case leakyRelu
        /// Gain 3/4.
        case selu
    }

    /// `calculate_gain(nonlinearity, param)`; `negativeSlope` is used by `leakyRelu` only.
    public static func gain(_ nonlinearity: Nonlinearity, negativeSlope: Double? = nil) -> Double {
        switch nonlinearity {
        case .linear, .sigmoid: 1
        case .tanh: 5.0 / 3
        case .relu: 2.0.squareRoot()
        case .leakyRelu: (2.0 / (1 + pow(negativeSlope ?? 0.01, 2))).squareRoot()
        case .selu: 3.0 / 4
        }
    }

    /// `(fan_in, fan_out)` of a weight `[out, in, *kernel]`: `in·∏kernel` and `out·∏kernel`.
    public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2, "fan in and fan out need a tensor of rank >= 2, got shape \(shape)")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }

    /// `kaiming_uniform_`: U(-b, b) with `b = gain·√(3 / fan)` (He et al. 2015); `a` is the
    /// negative slope for `leakyRelu` (PyTorch's default layers use `a = √5`).
    public static func kaimingUniform(
        _ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu,
        generator: Generator? = nil
    ) {
        guard tensor.count > 0 else { return }
        let std = gain(nonlinearity, negativeSlope: a) / Double(fan(tensor, mode)).squareRoot()
        let bound = 3.0.squareRoot() * std
        uniform(tensor, -bound, bound, generator: generator)
    }

    /// `kaiming_normal_`: N(0, std²) with `std = gain / √fan`.
    public static func kaimingNormal(
        _ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu,
        generator: Generator? = nil
    ) {
        guard tensor.count > 0 else { return }
        let std = gain(nonlinearity, negativeSlope: a) / Double(fan(tensor, mode)).squareRoot()
        normal(tensor, mean: 0, std: std, generator: generator)
    }

    /// `xavier_uniform_`: U(-b, b) with `b = gain·√(6 / (fan_in + fan_out))` (Glorot & Bengio 2010).
    public static func xavierUniform(_ tensor: Tensor, gain: Double = 1, generator: Generator? = nil) {
        let bound = 3.0.squareRoot() * xavierStd(tensor, gain)
        uniform(tensor, -bound, bound, generator: generator)
    }

    /// `xavier_normal_`: N(0, std²) with `std = gain·√(2 / (fan_in + fan_out))`.
    public static func xavierNormal(_ tensor: Tensor, gain: Double = 1, generator: Generator? = nil) {
        normal(tensor, mean: 0, std: xavierStd(tensor, gain), generator: generator)
    }

    /// `trunc_normal_` (timm's and `torch.nn.init`'s): N(mean, std²) restricted to `[a, b]`, by
    /// inverse-CDF sampling: uniform in `[2Φ(α) - 1, 2Φ(β) - 1]`, then `erfinv`, scale, shift, clamp.
    /// Note `a` and `b` are absolute bounds, not multiples of `std` (timm's ViTs use std 0.02 with
    /// the default ±2).
    public static func truncNormal(
        _ tensor: Tensor, mean: Double = 0, std: Double = 1, a: Double = -2, b: Double = 2,
        generator: Generator? = nil
    ) {
        func normalCDF(_ x: Double) -> Double { (1 + erf(x / 2.0.squareRoot())) / 2 }
        let low = normalCDF((a - mean) / std)
        let high = normalCDF((b - mean) / std)
        withNoGrad {
            tensor.uniformInPlace(2 * low - 1, 2 * high - 1, generator: generator)
            _ = orTrap { try TorchOp.erfinvInPlace.call(.tensor(tensor)) }
            tensor.multiplyInPlace(std * 2.0.squareRoot())
            tensor.addInPlace(Tensor(scalar: mean))
            tensor.clampInPlace(min: a, max: b)
        }
    }

    /// `uniform_`: U(low, high).
    public static func uniform(_ tensor: Tensor, _ low: Double = 0, _ high: Double = 1, generator: Generator? = nil) {
        withNoGrad { tensor.uniformInPlace(low, high, generator: generator) }
    }

    /// `normal_`: N(mean, std²).
    public static func normal(_ tensor: Tensor, mean: Double = 0, std: Double = 1, generator: Generator? = nil) {
        withNoGrad { tensor.normalInPlace(mean: mean, std: std, generator: generator) }
    }

    /// `constant_`: every element `value` (`zeros_`/`ones_` with 0 and 1).
    public static func constant(_ tensor: Tensor, _ value: Double) {
        withNoGrad { tensor.fillInPlace(value) }
    }

    private static func fan(_ tensor: Tensor, _ mode: FanMode) -> Int {
        let fans = fans(of: tensor.shape)
        return mode == .fanIn ? fans.fanIn : fans.fanOut
    }

    private static func xavierStd(_ tensor: Tensor, _ gain: Double) -> Double {
        let fans = fans(of: tensor.shape)
        return gain * (2.0 / Double(fans.fanIn + fans.fanOut)).squareRoot()
    }

    /// PyTorch's default for `nn.Linear` and `nn.Conv*d` (`reset_parameters`): the weight from
    /// `kaiming_uniform_(a=√5)`, i.e. U(±1/√fan_in), then the bias from U(±1/√fan_in).
    static func linearDefault(weight: Tensor, bias: Tensor?, generator: Generator?) {
        kaimingUniform(weight, a: 5.0.squareRoot(), generator: generator)
        if let bias {
            let fanIn = fans(of: weight.shape).fanIn
            let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
            uniform(bias, -bound, bound, generator: generator)
        }
    }
}

extension TorchOp {
    static let erfinvInPlace = TorchOp("aten::erfinv_")
}
