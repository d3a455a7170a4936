import KinemaTensor

/// Loss scaling for float16 training (`torch.amp.GradScaler`): float16 gradients of small
/// losses underflow to zero, so the loss is multiplied by a large scale before `backward()`, the
/// gradients are divided by it before the optimizer steps, and a step whose gradients hold an
/// inf or NaN (the scale was too large) is skipped and the scale halved. After
/// ``ScaleSchedule/growthInterval`` steps without one the scale doubles.
///
/// The arithmetic is libtorch's own (`_amp_foreach_non_finite_check_and_unscale_`,
/// `_amp_update_scale_`), so the scale follows PyTorch's step for step:
///
/// ```swift
/// let scaler = GradScaler(device: device)
/// let loss = withAutocast(device, dtype: .float16) { model(x).crossEntropy(targets: y) }
/// scaler.scaled(loss).backward()
/// scaler.unscale(optimizer)        // optional: before clipping gradients
/// scaler.step(optimizer)           // skipped when a gradient is not finite
/// scaler.update()
/// ```
///
/// bfloat16 has float32's range and needs no scaler.
public final class GradScaler {
    /// How the scale moves (PyTorch's constructor arguments and defaults).
    public struct ScaleSchedule: Sendable, Equatable {
        public var initialScale = 65536.0
        public var growthFactor = 2.0
        public var backoffFactor = 0.5
        public var growthInterval = 2000

        public init() {}
    }

    public let schedule: ScaleSchedule
    /// The current scale, a float32 scalar on the training device.
    public private(set) var scale: Tensor
    /// Steps since the last non-finite gradient, an int32 scalar (`_growth_tracker`).
    private var growthTracker: Tensor
    /// Set by ``unscale(_:)`` and consumed by ``update()``: 1 when a gradient was not finite.
    private var foundInfinity: Tensor?

    public init(device: Device, schedule: ScaleSchedule = ScaleSchedule()) {
        self.schedule = schedule
        scale = Tensor.full([], schedule.initialScale, dtype: .float32, device: device)
        growthTracker = Tensor.zeros([], dtype: .int32, device: device)
    }

    /// `loss · scale`, to call `backward()` on.
    public func scaled(_ loss: Tensor) -> Tensor { loss * scale }

    /// Divides every gradient of `optimizer` by the scale, in place, noting whether any is
    /// inf or NaN (`unscale_`). Without a host synchronisation; once per step.
    public func unscale(_ optimizer: any Optimizer) {
        guard foundInfinity == nil else { return }
        // PyTorch inverts in float64, then rounds to float32.
        foundInfinity = Self.unscale(optimizer, by: scale.to(.float64).reciprocal().to(.float32))
    }

    /// Multiplies every gradient of `optimizer` by `inverse` (a float32 scalar on the scale's device)
    /// in place, in one multi-tensor kernel; returns a device scalar that is non-zero when any
    /// gradient holds inf or NaN. With `inverse` 1 it only checks.
    static func unscale(_ optimizer: any Optimizer, by inverse: Tensor) -> Tensor {
        let found = Tensor.zeros([], dtype: .float32, device: inverse.device)
        let gradients = optimizer.parameters.compactMap(\.grad)
        if !gradients.isEmpty {
            orTrap {
                try AmpOps.unscale.call(.tensors(gradients), .tensor(found), .tensor(inverse)) { _ in }
            }
        }
        return found
    }

    /// Steps `optimizer` unless a gradient is not finite (unscaling first if ``unscale(_:)`` was not
    /// called). Reads one number back from the device. Returns whether the optimizer stepped.
    @discardableResult
    public func step(_ optimizer: any Optimizer) -> Bool {
        unscale(optimizer)
        guard let found = foundInfinity, found.item(Float.self) == 0 else { return false }
        optimizer.step()
        return true
    }

    /// Backs the scale off after a non-finite step, or grows it after ``ScaleSchedule/growthInterval``
    /// finite ones (`update()`); call once per step, after ``step(_:)``.
    public func update() {
        guard let found = foundInfinity else { return }
        foundInfinity = nil
        orTrap {
            _ = try AmpOps.updateScale.call(
                .tensor(scale), .tensor(growthTracker), .tensor(found), .double(schedule.growthFactor),
                .double(schedule.backoffFactor), .int(schedule.growthInterval))
        }
    }

    /// The state a checkpoint holds for an exact resume (the scale and the growth tracker).
    public func stateTensors() -> [String: Tensor] { ["scale": scale, "growth_tracker": growthTracker] }

    /// Restores ``stateTensors()``; throws when one is missing or not a scalar.
    public func load(_ tensors: [String: Tensor]) throws(OptimizerError) {
        guard let savedScale = tensors["scale"], let savedTracker = tensors["growth_tracker"],
            savedScale.shape.isEmpty, savedTracker.shape.isEmpty
        else {
            throw OptimizerError("the loss scaler's state needs scalar 'scale' and 'growth_tracker' tensors")
        }
        do {
            scale = try savedScale.checked.to(.float32, device: scale.device, copy: true)
            growthTracker = try savedTracker.checked.to(.int32, device: growthTracker.device, copy: true)
        } catch {
            throw OptimizerError("the loss scaler's state cannot be moved to \(scale.device): \(error.message)")
        }
        foundInfinity = nil
    }
}

private enum AmpOps {
    static let unscale = TorchOp("aten::_amp_foreach_non_finite_check_and_unscale_")
    static let updateScale = TorchOp("aten::_amp_update_scale_")
}
