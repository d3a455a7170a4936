/// How every training command counts its length: `steps`, or `epochs` of a known number of steps,
/// with a warm-up of `warmupSteps` or `warmupEpochs` (fractional epochs allowed) — exactly one of
/// steps and epochs set, and warm-up in epochs only for an epochs-long run.
struct TrainingLength {
    var steps: Int
    var epochs: Int
    var warmupSteps: Int
    var warmupEpochs: Double

    /// The problems of the four keys (`steps`, `epochs` and `optim.warmup…`).
    func validate(_ problems: inout ConfigProblems) {
        problems.check(steps >= 0 && epochs >= 0, "steps", "steps and epochs must be ≥ 0")
        problems.check((steps > 0) != (epochs > 0), "steps",
            "set exactly one of steps (\(steps)) and epochs (\(epochs)); the other must be 0")
        problems.check(warmupEpochs == 0 || epochs > 0, "optim.warmupEpochs", "needs an epochs-long run (set epochs, or use warmupSteps)")
    }

    /// The run's length in steps and its warm-up (never longer than the run), for `perEpoch` steps an epoch.
    func schedule(perEpoch: Int) -> (steps: Int, warmup: Int) {
        let total = epochs > 0 ? epochs * perEpoch : steps
        let warmup = warmupEpochs > 0 ? Int((warmupEpochs * Double(perEpoch)).rounded()) : warmupSteps
        return (total, min(warmup, total))
    }
}
