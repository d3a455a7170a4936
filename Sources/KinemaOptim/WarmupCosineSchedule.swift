import Foundation

/// Linear warm-up, then a half cosine down to a final rate, evaluated every step — the
/// schedule of both MoSI (via TAdaConv) and VideoMAE, which differ in where the cosine starts.
///
/// With base rate `B`, final rate `F`, warm-up start `S`, `W` warm-up steps and `T` steps in
/// all, the rate at step `s` is
///
/// - ``Convention/slowFast`` (MoSI/TAdaConv `tadaconv/models/utils/lr_policy.py`, from SlowFast:
///   `get_lr_at_epoch` with `lr_func_cosine`, called with the fractional epoch every iteration):
///   the cosine spans the whole run, `c(s) = F + (B − F)·(cos(π·s/T) + 1)·0.5`, and warm-up
///   ramps linearly to the cosine's value where it ends: `s·(c(W) − S)/W + S` for `s < W`.
/// - ``Convention/videoMAE`` (VideoMAE `utils.py` `cosine_scheduler`, indexed by global
///   iteration): warm-up is `np.linspace(S, B, W)`, i.e. `S + s·(B − S)/(W − 1)`, reaching `B`
///   at its last step; the cosine spans only the remaining steps,
///   `F + 0.5·(B − F)·(1 + cos(π·(s − W)/(T − W)))`.
///
/// From step `T` on the rate stays at `F` (the originals are not defined there).
public struct WarmupCosineSchedule: LearningRateSchedule, Equatable {
    /// Where the cosine starts relative to warm-up; see the type's documentation.
    public enum Convention: String, Sendable, Codable, CaseIterable {
        case slowFast
        case videoMAE
    }

    public let base: Double
    public let final: Double
    public let warmupStart: Double
    public let warmupSteps: Int
    public let totalSteps: Int
    public let convention: Convention

    /// Throws unless `0 ≤ warmupSteps ≤ totalSteps` and `totalSteps > 0`.
    public init(
        base: Double, final: Double = 0, warmupStart: Double = 0, warmupSteps: Int = 0, totalSteps: Int,
        convention: Convention
    ) throws(OptimizerError) {
        guard totalSteps > 0, warmupSteps >= 0, warmupSteps <= totalSteps else {
            throw OptimizerError(
                "a warm-up cosine schedule needs 0 ≤ warm-up steps (\(warmupSteps)) ≤ total steps (\(totalSteps)) "
                    + "and at least one step")
        }
        self.base = base
        self.final = final
        self.warmupStart = warmupStart
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.convention = convention
    }

    public func learningRate(at step: Int) -> Double {
        precondition(step >= 0, "learning-rate schedules start at step 0, got \(step)")
        guard step < totalSteps else { return final }
        let s = Double(step)
        let w = Double(warmupSteps)
        switch convention {
        case .slowFast:
            let cosine = { (x: Double) in final + (base - final) * (cos(Double.pi * x / Double(totalSteps)) + 1) * 0.5 }
            return step < warmupSteps ? s * ((cosine(w) - warmupStart) / w) + warmupStart : cosine(s)
        case .videoMAE:
            if step < warmupSteps {
                // np.linspace: start + i·step, the last sample pinned to the end; one sample is the start.
                if warmupSteps == 1 { return warmupStart }
                return step == warmupSteps - 1 ? base : s * ((base - warmupStart) / (w - 1)) + warmupStart
            }
            let i = Double(step - warmupSteps)
            let n = Double(totalSteps - warmupSteps)
            return final + 0.5 * (base - final) * (1 + cos(Double.pi * i / n))
        }
    }
}
