import KinemaTensor

/// The arithmetic of a training step's forward pass (`run.precision`, `--precision`).
public enum Precision: String, Sendable, CaseIterable {
    /// Everything in float32.
    case fp32
    /// Autocast to bfloat16: float32's range, so no loss scaling; supported on CPU and recent GPUs.
    case bf16
    /// Autocast to float16 with loss scaling (``GradScaler``); the classic GPU recipe.
    case fp16

    /// The autocast dtype, nil for fp32.
    public var autocastType: DType? {
        switch self {
        case .fp32: nil
        case .bf16: .bfloat16
        case .fp16: .float16
        }
    }
}

/// One trainer's mixed-precision recipe, as PyTorch's AMP examples write it: the forward and the
/// loss inside `torch.autocast`, `backward()` outside it on the (fp16: scaled) loss, and the
/// optimizer stepping float32 master weights (fp16: through the ``GradScaler``, which skips a step
/// whose gradients overflowed). With fp32 every call is the plain one.
public final class MixedPrecision {
    public let precision: Precision
    public let device: Device
    /// The loss scaler, with fp16 only; its state is part of the checkpoint (``TrainingState``).
    public let scaler: GradScaler?
    /// Without a scaler (fp32, bf16): whether ``step(_:)`` leaves out an update whose gradients
    /// hold inf or NaN (`run.nonFinite: skip`), as fp16's scaler always does. Checking reads one
    /// number back from the device every step.
    public let skipsNonFiniteSteps: Bool
    /// Steps left out by ``skipsNonFiniteSteps`` in this process.
    public private(set) var skippedSteps = 0

    public init(
        _ precision: Precision, device: Device, scaleSchedule: GradScaler.ScaleSchedule = .init(), skipsNonFiniteSteps: Bool = false
    ) {
        self.precision = precision
        self.device = device
        self.skipsNonFiniteSteps = skipsNonFiniteSteps
        scaler = precision == .fp16 ? GradScaler(device: device, schedule: scaleSchedule) : nil
    }

    /// Runs the forward pass (and the loss) under autocast.
    public func forward<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        guard let dtype = precision.autocastType else { return try body() }
        return try withAutocast(device, dtype: dtype, body)
    }

    /// `loss.backward()`, on the scaled loss with fp16.
    public func backward(_ loss: Tensor) {
        (scaler?.scaled(loss) ?? loss).backward()
    }

    /// Makes the gradients true gradients (divides out the fp16 loss scale); call before reading
    /// or clipping them. A no-op without a scaler, and after the first call in a step.
    public func unscale(_ optimizer: any Optimizer) {
        scaler?.unscale(optimizer)
    }

    /// Steps the optimizer (fp16: unless a gradient overflowed, then adapts the scale; fp32 and
    /// bf16 with ``skipsNonFiniteSteps``: unless a gradient is inf or NaN). Returns whether the
    /// weights moved.
    @discardableResult
    public func step(_ optimizer: any Optimizer) -> Bool {
        guard let scaler else {
            if skipsNonFiniteSteps {
                let one = Tensor.ones([], dtype: .float32, device: device)
                if GradScaler.unscale(optimizer, by: one).item(Float.self) != 0 {
                    skippedSteps += 1
                    return false
                }
            }
            optimizer.step()
            return true
        }
        let stepped = scaler.step(optimizer)
        scaler.update()
        return stepped
    }
}
