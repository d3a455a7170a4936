/// Drives an optimizer's learning rates from a schedule: before each step, every group gets the
/// schedule's value times the group's ``ParameterGroup/learningRateScale`` — the per-iteration
/// update of MoSI's and VideoMAE's training loops (`param_group["lr"] = lr * param_group["lr_scale"]`).
///
/// It holds no state of its own: the step is the whole state, so a resumed run is on schedule
/// as soon as it knows its step.
///
/// ```swift
/// let scheduler = LearningRateScheduler(try WarmupCosineSchedule(
///     base: 1e-3, final: 1e-5, warmupSteps: 500, totalSteps: 10_000, convention: .videoMAE))
/// for step in resumedStep..<totalSteps {
///     scheduler.apply(step: step, to: optimizer)
///     …; optimizer.step()
/// }
/// ```
public struct LearningRateScheduler: Sendable {
    public let schedule: any LearningRateSchedule

    public init(_ schedule: some LearningRateSchedule) {
        self.schedule = schedule
    }

    /// Sets every group's learning rate for step `step`; returns the schedule's (unscaled) value.
    @discardableResult
    public func apply(step: Int, to optimizer: some Optimizer) -> Double {
        let rate = schedule.learningRate(at: step)
        optimizer.learningRates = optimizer.learningRateScales.map { rate * $0 }
        return rate
    }
}
