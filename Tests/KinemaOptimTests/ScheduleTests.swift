import KinemaOptim
import KinemaTestSupport
import Testing

/// Learning-rate schedules against the sequences gen_optim.py computed with PyTorch's schedulers
/// and the MoSI/TAdaConv and VideoMAE formulas.
@Suite struct ScheduleTests {
    private func expectSequence(
        _ schedule: some LearningRateSchedule, _ name: String, rtol: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = try OptimFixture().tensor("schedule.\(name)")
        let ours = Tensor((0..<expected.count).map { schedule.learningRate(at: $0) })
        expectClose(ours, expected, rtol: rtol, atol: 0, "\(name)", sourceLocation: sourceLocation)
    }

    // 5 epochs of 7 steps with 1 warm-up epoch, as in the generator.
    @Test func videoMAEConventionMatchesItsCosineScheduler() throws {
        let schedule = try WarmupCosineSchedule(
            base: 1e-3, final: 1e-5, warmupStart: 1e-6, warmupSteps: 7, totalSteps: 35, convention: .videoMAE)
        try expectSequence(schedule, "videomae", rtol: 1e-14)
        #expect(schedule.learningRate(at: 6) == 1e-3, "np.linspace ends exactly at the base rate")
    }

    @Test func slowFastConventionMatchesTAdaConvsPolicy() throws {
        let schedule = try WarmupCosineSchedule(
            base: 1e-3, final: 1e-5, warmupStart: 1e-4, warmupSteps: 7, totalSteps: 35, convention: .slowFast)
        // The original divides fractional epochs (step / steps per epoch); steps round a little differently.
        try expectSequence(schedule, "slowfast", rtol: 1e-12)
    }

    @Test(arguments: WarmupCosineSchedule.Convention.allCases)
    func withoutWarmUpBothConventionsAreCosineAnnealingLR(_ convention: WarmupCosineSchedule.Convention) throws {
        let schedule = try WarmupCosineSchedule(base: 0.1, final: 1e-4, totalSteps: 20, convention: convention)
        // CosineAnnealingLR updates recursively, which drifts from the closed form in the last bits.
        try expectSequence(schedule, "torch_cosine", rtol: 1e-10)
    }

    @Test func stepDecayMatchesMultiStepLR() throws {
        try expectSequence(try StepDecaySchedule(base: 0.1, milestones: [3, 7], gamma: 0.1), "torch_multistep", rtol: 0)
    }

    @Test func ratesStayFinalAfterTheLastStepAndConstantIsConstant() throws {
        for convention in WarmupCosineSchedule.Convention.allCases {
            let schedule = try WarmupCosineSchedule(
                base: 1, final: 0.01, warmupSteps: 2, totalSteps: 10, convention: convention)
            #expect(schedule.learningRate(at: 10) == 0.01)
            #expect(schedule.learningRate(at: 1_000) == 0.01)
        }
        #expect(ConstantSchedule(0.3).learningRate(at: 12_345) == 0.3)
    }

    @Test func invalidSchedulesThrow() {
        #expect(throws: OptimizerError.self) {
            try WarmupCosineSchedule(base: 1, warmupSteps: 11, totalSteps: 10, convention: .videoMAE)
        }
        #expect(throws: OptimizerError.self) { try WarmupCosineSchedule(base: 1, totalSteps: 0, convention: .slowFast) }
        #expect(throws: OptimizerError.self) { try StepDecaySchedule(base: 1, milestones: [5, 3]) }
    }
}
