import KinemaNN
import KinemaOptim
import KinemaTensor

/// Replays Tools/fixtures/gen_amp.py — PyTorch's AMP recipe (`torch.autocast`, and
/// `torch.amp.GradScaler` for fp16) on a Conv3d-BatchNorm3d-ReLU-pool-Linear net, six SGD steps —
/// with Kinema's recipe (``MixedPrecision``, what the trainers run) on the same weights and inputs,
/// and lists every difference beyond the tolerance. The CPU fixture is checked in `make test`; on a
/// GPU, `Tools/device/check.sh` regenerates the fixture with PyTorch on CUDA and replays it there.
///
/// Tolerances come from the low-precision format, not from one run: autocast rounds each
/// convolution, norm and linear output to bfloat16 (8 significant bits) or float16 (11), and the
/// float32 sums before that rounding may be added in another order by another kernel, which can
/// move a rounded value by one unit in its last place (2⁻⁸ or 2⁻¹¹ relative). Four such stages lie
/// between the input and the gradients, so four units of the format bound the difference. float32
/// has no such rounding; there the sums themselves differ with the kernel's order of summation:
/// 2·n·2⁻²³ of their size for the longest, n = 1024 terms (BatchNorm's statistics and the weight
/// gradients run over batch × time × height × width = 4·4·8·8 positions), the rule of
/// KinemaTestSupport's Float32Tolerance. Parameters are compared through their updates (θₖ − θ₀),
/// relative to the largest update.
public struct AMPReplay {
    /// The fixture's contents (Tests/Fixtures/amp.safetensors or a regenerated one).
    public let fixture: Safetensors.Contents
    /// Steps in the fixture.
    public static let steps = 6

    public init(fixture: Safetensors.Contents) {
        self.fixture = fixture
    }

    /// The relative tolerance for `precision`: four units in the last place of the low-precision
    /// format; for float32, the summation allowance of the longest sums (1024 terms).
    public static func tolerance(_ precision: Precision) -> Double {
        switch precision {
        case .bf16: 4 * 0x1p-8
        case .fp16: 4 * 0x1p-11
        case .fp32: 2 * 1024 * 0x1p-23
        }
    }

    /// Runs the six steps in `precision` on `device` and returns one line per value that differs
    /// from the fixture's run in `reference` (by default the same precision; empty: the replay
    /// matches), after checking that the fixture is not trivially passed (its bf16 logits differ
    /// from its fp32 ones).
    public func mismatches(_ precision: Precision, device: Device, against reference: Precision? = nil) throws -> [String] {
        var problems: [String] = []
        let net = try AMPNet(ParameterStore(device: device).root)
        try net.loadStateDict(try fixture.tensors("init.").mapValues { try $0.to(device) })
        let initial = try net.stateDict().mapValues { try $0.checked.to(device: .cpu, copy: true) }
        let optimizer = try SGD(net.trainableParameters().map(\.tensor), learningRate: 0.1, momentum: 0.9)
        var schedule = GradScaler.ScaleSchedule()  // gen_amp.py's GradScaler(init_scale=1024, growth_interval=2)
        schedule.initialScale = 1024
        schedule.growthInterval = 2
        let recipe = MixedPrecision(precision, device: device, scaleSchedule: schedule)
        let mode = (reference ?? precision).rawValue
        let rtol = Self.tolerance(reference ?? precision)
        func compare(_ actual: Tensor, _ expected: Tensor, atol: Double, _ what: String) throws {
            if let problem = try difference(actual, expected, rtol: rtol, atol: atol) { problems.append("\(what): \(problem)") }
        }

        for k in 0..<Self.steps {
            let x = try fixture.tensor("x.\(k)").to(device)
            let y = try fixture.tensor("y.\(k)").to(device)
            // Only the fp16 run is given the overflowing weight; the others train every step.
            let w = try ((reference ?? precision) == .fp16 ? fixture.tensor("w.\(k)") : Tensor(scalar: Float(1))).to(device)
            optimizer.zeroGrad()
            let (logits, loss) = recipe.forward {
                let logits = net(x)
                return (logits, logits.crossEntropy(targets: y) * w)
            }
            let expectedLogits = try fixture.tensor("\(mode).logits.\(k)")
            if logits.dtype != expectedLogits.dtype {
                problems.append("\(mode) step \(k): logits in \(logits.dtype), PyTorch's in \(expectedLogits.dtype)")
            }
            try compare(logits, expectedLogits, atol: rtol * largest(expectedLogits), "\(mode) logits, step \(k)")
            try compare(loss, try fixture.tensor("\(mode).loss.\(k)"), atol: rtol, "\(mode) loss, step \(k)")

            let before = try net.stateDict().mapValues { try $0.checked.to(device: .cpu, copy: true) }
            recipe.backward(loss)
            let stepped = recipe.step(optimizer)
            if let scaler = recipe.scaler, mode == "fp16" {
                let skipped = try fixture.tensor("fp16.skipped.\(k)").item(Int.self) == 1
                if stepped == skipped { problems.append("fp16 step \(k): \(stepped ? "taken" : "skipped"), PyTorch's \(skipped ? "skipped" : "taken")") }
                let scale = scaler.scale.item(Float.self)
                let expectedScale = try fixture.tensor("fp16.scale.\(k)").item(Float.self)
                if scale != expectedScale { problems.append("fp16 scale after step \(k): \(scale), PyTorch's \(expectedScale)") }
                if !stepped {
                    for (key, value) in net.namedParameters() where try !value.to(.cpu).isEqual(to: before[key]!) {
                        problems.append("fp16 step \(k) was skipped but moved \(key)")
                    }
                }
            }
            for (key, value) in net.stateDict() where value.dtype.isFloatingPoint {
                let expected = try fixture.tensor("\(mode).step\(k).\(key)")
                let update = expected - initial[key]!
                let scale = max(largest(update), largest(expected) * 0x1p-20)
                try compare(try value.to(.cpu) - initial[key]!, update, atol: rtol * scale, "\(mode) \(key) after step \(k)")
            }
        }
        let bf16 = try fixture.tensor("bf16.logits.0")
        let fp32 = try fixture.tensor("fp32.logits.0")
        if bf16.dtype != .bfloat16 || largest(bf16.to(.float32) - fp32) == 0 {
            problems.append("the fixture's bf16 logits equal its fp32 ones: it cannot tell autocast from float32")
        }
        return problems
    }
}

/// The fixture's network: `fc(relu(bn(conv(x))).mean((2, 3, 4)))`, keys as in gen_amp.py's `Net`.
final class AMPNet: Module {
    let path: ParameterPath
    let conv: Conv3d
    let bn: BatchNorm3d
    let fc: Linear

    init(_ path: ParameterPath) throws {
        self.path = path
        conv = try Conv3d(path / "conv", inChannels: 3, outChannels: 6, kernelSize: 3, padding: 1)
        bn = try BatchNorm3d(path / "bn", features: 6)
        fc = try Linear(path / "fc", inFeatures: 6, outFeatures: 5)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        fc(bn(conv(x), mode: .train).relu().mean(dims: [2, 3, 4]))
    }
}

/// max |t| as a Double (0 for an empty tensor).
func largest(_ t: Tensor) -> Double {
    t.count == 0 ? 0 : t.detached().abs().max().to(.float64).item(Double.self)
}

/// Where `actual` (on any device) and `expected` differ by more than `atol + rtol·|expected|`:
/// the worst element, or nil when they agree (shapes must match; NaNs must be at the same places).
func difference(_ actual: Tensor, _ expected: Tensor, rtol: Double, atol: Double) throws -> String? {
    guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
    let a = try actual.detached().to(.cpu).to(.float64).array(of: Double.self)
    let e = expected.detached().to(.float64).array(of: Double.self)
    var worst: (index: Int, excess: Double)?
    for i in a.indices {
        let excess = Swift.abs(a[i] - e[i]) - (atol + rtol * Swift.abs(e[i]))
        if excess > 0 || a[i].isNaN != e[i].isNaN, worst == nil || excess > worst!.excess { worst = (i, excess) }
    }
    guard let worst else { return nil }
    return "element \(worst.index): \(a[worst.index]), expected \(e[worst.index]) (rtol \(rtol), atol \(atol))"
}

extension Safetensors.Contents {
    /// The tensors named `prefix…`, keyed by the rest of the name; throws when there are none.
    func tensors(_ prefix: String) throws -> [String: Tensor] {
        let found = Dictionary(uniqueKeysWithValues: tensors.compactMap { key, value in
            key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), value) : nil
        })
        guard !found.isEmpty else { throw CheckError("the fixture holds no tensors named \(prefix)…") }
        return found
    }

    /// The tensor `name`; throws when it is missing.
    func tensor(_ name: String) throws -> Tensor {
        guard let t = tensors[name] else { throw CheckError("the fixture has no tensor '\(name)'; regenerate it with Tools/fixtures/gen_amp.py") }
        return t
    }
}

/// A check that could not run (a missing fixture entry, an unusable device).
public struct CheckError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
