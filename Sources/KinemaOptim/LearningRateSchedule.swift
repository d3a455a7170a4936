/// A learning rate as a pure function of the optimizer step, so a resumed run needs only the
/// step to continue its schedule, and every value can be checked in isolation.
///
/// Steps count optimizer updates from 0: `learningRate(at: 0)` is the rate of the first
/// update. Epoch-based recipes convert with `step = epoch · stepsPerEpoch + iteration`.
public protocol LearningRateSchedule: Sendable {
    /// The base learning rate (before a group's scale) for optimizer step `step` (≥ 0).
    func learningRate(at step: Int) -> Double
}

/// The same rate at every step.
public struct ConstantSchedule: LearningRateSchedule, Equatable {
    public var value: Double

    public init(_ value: Double) {
        self.value = value
    }

    public func learningRate(at step: Int) -> Double { value }
}

/// Multiplies the rate by `gamma` at each milestone (`torch.optim.lr_scheduler.MultiStepLR`):
/// from step `milestones[i]` on, the rate is `base · gammaⁱ⁺¹`.
public struct StepDecaySchedule: LearningRateSchedule, Equatable {
    public var base: Double
    /// Steps at which the rate drops, increasing.
    public var milestones: [Int]
    public var gamma: Double

    /// Throws when the milestones are negative or not increasing.
    public init(base: Double, milestones: [Int], gamma: Double = 0.1) throws(OptimizerError) {
        guard milestones.allSatisfy({ $0 >= 0 }), zip(milestones, milestones.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw OptimizerError("step decay milestones must be non-negative and increasing, got \(milestones)")
        }
        self.base = base
        self.milestones = milestones
        self.gamma = gamma
    }

    public func learningRate(at step: Int) -> Double {
        precondition(step >= 0, "learning-rate schedules start at step 0, got \(step)")
        // One multiplication per milestone passed, as MultiStepLR's chained updates do.
        return milestones.prefix { $0 <= step }.reduce(base) { rate, _ in rate * gamma }
    }
}
