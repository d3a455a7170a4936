import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor

/// One model trained for a few steps on the CPU and on another device from the same weights and
/// batch: the check that a GPU computes what the CPU (checked against PyTorch in `make test`) does.
public struct DeviceEquality {
    /// The largest difference of a parameter between the two devices, over the largest update.
    public let worst: Double
    /// The allowance for it: float32 sums of up to `terms` products, added in another order by
    /// another kernel, differ by up to 2·terms·2⁻²³ of their size (KinemaTestSupport's
    /// Float32Tolerance rule); the longest sums here are a weight gradient's, over batch × time ×
    /// height × width positions.
    public let tolerance: Double

    public var passed: Bool { worst <= tolerance }

    /// Trains `model` (at `width`) with SGD (momentum 0.9) for `steps` steps on a seeded random
    /// batch `[batch, 3, frames, size, size]` on the CPU and on `device`, TF32 off.
    public init(_ model: ModelName, width: Int? = nil, device: Device, steps: Int = 3, batch: Int = 2, frames: Int = 8, size: Int = 32)
        throws
    {
        Engine.setAllowTF32(false)
        Engine.seed(0)
        let x = Tensor.randn([batch, 3, frames, size, size])
        let y = Tensor.arange(0, batch).remainder(2)
        let cpu = try model.make(ParameterStore().root, classes: 2, width: width)
        let other = try model.make(ParameterStore(device: device).root, classes: 2, width: width)
        try other.loadStateDict(try cpu.stateDict().mapValues { try $0.to(device) })
        let initial = try cpu.stateDict().mapValues { try $0.checked.to(copy: true) }
        for (backbone, input, target) in [(cpu, x, y), (other, try x.to(device), try y.to(device))] {
            let optimizer = try SGD(backbone.trainableParameters().map(\.tensor), learningRate: 0.1, momentum: 0.9)
            for _ in 0..<steps {
                optimizer.zeroGrad()
                backbone(input, mode: .train).crossEntropy(targets: target).backward()
                optimizer.step()
            }
        }
        var worst = 0.0
        let theirs = other.stateDict()
        for (key, value) in cpu.stateDict() where value.dtype.isFloatingPoint {
            let update = largest(value - initial[key]!)
            guard update > 0 else { continue }
            worst = max(worst, largest(try theirs[key]!.to(.cpu) - value) / update)
        }
        self.worst = worst
        tolerance = 2 * Double(batch * frames * size * size) * Double(Float.ulpOfOne)
    }
}
