import KinemaOptim
import KinemaTestSupport
import Testing

/// Configuration checks, gradient clearing, groups and state-dict loading.
@Suite struct OptimizerBehaviourTests {
    private func parameter(_ shape: [Int] = [2, 3]) -> Tensor {
        Tensor.ones(shape).requiringGrad()
    }

    /// Closures do not infer typed throws, hence the cast.
    private func expectError(
        containing phrase: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            try body()
            Issue.record("expected an OptimizerError mentioning '\(phrase)'", sourceLocation: sourceLocation)
        } catch let error as OptimizerError {
            #expect(error.description.contains(phrase), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected an OptimizerError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func invalidConfigurationsThrowClearErrors() {
        let p = parameter()
        expectError(containing: "invalid learning rate -1") { _ = try SGD([p], learningRate: -1) }
        expectError(containing: "Nesterov momentum requires a momentum") { _ = try SGD([p], nesterov: true) }
        expectError(containing: "invalid beta2 1.0") { _ = try Adam([p], betas: (0.9, 1.0)) }
        expectError(containing: "invalid weight decay -0.1") { _ = try AdamW([p], weightDecay: -0.1) }
        expectError(containing: "got no parameters") { _ = try AdamW([]) }
        expectError(containing: "appears more than once") {
            _ = try SGD(groups: [
                ParameterGroup([p], options: SGDOptions()), ParameterGroup([p], options: SGDOptions()),
            ])
        }
        expectError(containing: "only floating-point") { _ = try SGD([Tensor([1, 2] as [Int])]) }
        expectError(containing: "not a leaf") { _ = try SGD([p * 2]) }
        expectError(containing: "2 names") {
            _ = try SGD(groups: [ParameterGroup([p], names: ["a", "b"], options: SGDOptions())])
        }
        expectError(containing: "no parameter group 3") { try SGD([p]).setOptions(SGDOptions(), group: 3) }
    }

    @Test func zeroGradRemovesOrZeroesGradients() throws {
        let p = parameter()
        let optimizer = try SGD([p], learningRate: 0.1)
        p.grad = Tensor.full([2, 3], 5)
        optimizer.zeroGrad(setToNone: false)
        #expect(p.grad?.array(of: Float.self) == [0, 0, 0, 0, 0, 0])
        optimizer.zeroGrad()
        #expect(p.grad == nil)
    }

    @Test func stepDoesNotRecordAutograd() throws {
        let p = parameter()
        let optimizer = try Adam([p], learningRate: 0.1)
        p.grad = Tensor.ones([2, 3])
        optimizer.step()
        #expect(p.isLeaf && p.requiresGrad)
        #expect(p.array(of: Float.self).allSatisfy { $0 < 1 })
    }

    @Test func learningRatesAreSetPerGroupAndScaledByTheScheduler() throws {
        let optimizer = try SGD(groups: [
            ParameterGroup([parameter()], options: SGDOptions(learningRate: 1)),
            ParameterGroup([parameter()], options: SGDOptions(learningRate: 1), learningRateScale: 0.25),
        ])
        optimizer.learningRates = [0.5, 0.125]
        #expect(optimizer.learningRates == [0.5, 0.125])
        let scheduler = LearningRateScheduler(ConstantSchedule(0.4))
        #expect(scheduler.apply(step: 3, to: optimizer) == 0.4)
        #expect(optimizer.learningRates == [0.4, 0.1])
    }

    @Test func groupingSeparatesDecayAndLayerScales() {
        let named: [(name: String, tensor: Tensor)] = [
            ("blocks.0.weight", parameter([4, 4])), ("blocks.0.bias", parameter([4])),
            ("blocks.1.weight", parameter([4, 4])), ("norm.weight", parameter([4])),
            ("head.weight", parameter([2, 4])),
        ]
        let groups = ParameterGroup.grouping(
            named, options: AdamOptions(learningRate: 1e-3, weightDecay: 0.05),
            learningRateScale: { $0.hasPrefix("blocks.0") ? 0.5 : 1 })
        #expect(groups.map { $0.names ?? [] } == [
            ["blocks.0.weight"], ["blocks.0.bias"], ["blocks.1.weight", "head.weight"], ["norm.weight"],
        ])
        #expect(groups.map(\.options.weightDecay) == [0.05, 0, 0.05, 0])
        #expect(groups.map(\.learningRateScale) == [0.5, 0.5, 1, 1])
    }

    @Test func loadingReplacesHyperparametersAndCopiesState() throws {
        let f = try OptimFixture()
        let source = try f.initialParameters()
        let trained = try AdamW(source, learningRate: 0.02, weightDecay: 0.1, amsgrad: true)
        try f.run(trained, .adamw, parameters: source, steps: 0..<3)

        let restored = try AdamW(try f.initialParameters(), learningRate: 0.5)
        try restored.loadStateDict(trained.stateDict())
        #expect(restored.groups[0].options == trained.groups[0].options)
        let saved = trained.stateDict()
        for (key, tensor) in restored.stateDict() {
            #expect(tensor.isEqual(to: saved[key]!), "\(key)")
        }
        // The restored optimizer owns its state: stepping it leaves the source's buffers alone.
        let before = saved["state.0.exp_avg"]!.copied()
        try f.setGradients(step: 3, on: restored.parameters)
        restored.step()
        #expect(trained.stateDict()["state.0.exp_avg"]!.isEqual(to: before))
    }

    @Test func stateOfAnotherAlgorithmIsRefusedAndNothingChanges() throws {
        let f = try OptimFixture()
        let parameters = try f.initialParameters()
        let adam = try Adam(parameters, learningRate: 0.01)
        try f.run(adam, .adam, parameters: parameters, steps: 0..<2)
        let adamw = try AdamW(try f.initialParameters(), learningRate: 0.3)
        expectError(containing: "decoupled_weight_decay is false but AdamW needs true") {
            try adamw.loadStateDict(adam.stateDict())
        }
        #expect(adamw.learningRates == [0.3])
        #expect(adamw.stateDict().keys.allSatisfy { !$0.hasPrefix("state.") })

        let sgd = try SGD(try f.initialParameters(), learningRate: 0.3, momentum: 0.9)
        expectError(containing: "missing param_groups.0.momentum") { try sgd.loadStateDict(adam.stateDict()) }
        expectError(containing: "unexpected keys for SGD: param_groups.0.amsgrad") {
            try sgd.loadStateDict(adam.stateDict())
        }
    }

    @Test func mismatchedStateIsListedTogether() throws {
        let named: [(name: String, tensor: Tensor)] = [("conv.weight", parameter([2, 3])), ("fc.weight", parameter([4]))]
        let optimizer = try SGD(groups: [ParameterGroup(named: named, options: SGDOptions(momentum: 0.9))])
        for (_, p) in named { p.grad = p.onesLike() }
        optimizer.step()
        var state = optimizer.stateDict()
        state["state.1.momentum_buffer"] = Tensor.zeros([5])
        state["param_groups.1.lr"] = Tensor(scalar: 0.1)
        state["state.0.momentum_buffer"] = Tensor([1, 2, 3, 4, 5, 6] as [Int], shape: [2, 3])
        do {
            try optimizer.loadStateDict(state)
            Issue.record("a mismatched state loaded")
        } catch {
            let text = error.description
            #expect(text.contains("the state has 2 parameter groups but this SGD has 1"), "\(text)")
            #expect(text.contains("state.1.momentum_buffer has shape [5] but parameter 1 ('fc.weight') has shape [4]"), "\(text)")
            #expect(text.contains("state.0.momentum_buffer has dtype int64"), "\(text)")
            #expect(text.contains("unexpected keys for SGD: param_groups.1.lr"), "\(text)")
        }
    }
}
