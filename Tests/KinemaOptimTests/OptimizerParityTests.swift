import KinemaOptim
import KinemaTestSupport
import Testing

/// Every optimizer configuration against PyTorch's `_single_tensor_*` steps (gen_optim.py):
/// the parameters after each of 10 steps, then the exported state against PyTorch's state_dict.
@Suite struct OptimizerParityTests {
    @Test(arguments: ParityConfig.allCases)
    func parametersFollowPyTorchStepByStep(_ config: ParityConfig) throws {
        let f = try OptimFixture()
        let parameters = try f.initialParameters()
        let optimizer = try config.makeOptimizer(parameters)
        for k in 0..<OptimFixture.steps {
            try f.run(optimizer, config, parameters: parameters, steps: k..<(k + 1))
            // On the generating machine the match is bitwise; the tolerance allows other CPUs'
            // vector kernels to round differently.
            for (j, parameter) in parameters.enumerated() {
                expectClose(
                    parameter, try f.tensor("\(config.rawValue).step\(k).param\(j)"), rtol: 1e-5, atol: 1e-6,
                    "\(config.rawValue) step \(k) parameter \(j)")
            }
        }
    }

    @Test(arguments: ParityConfig.allCases)
    func stateDictMatchesPyTorchs(_ config: ParityConfig) throws {
        let f = try OptimFixture()
        let parameters = try f.initialParameters()
        let optimizer = try config.makeOptimizer(parameters)
        try f.run(optimizer, config, parameters: parameters, steps: 0..<OptimFixture.steps)
        let ours = optimizer.stateDict()

        for (key, tensor) in ours where !key.hasSuffix(".lr_scale") {
            guard let expected = f.contents.tensors["\(config.rawValue).\(key)"] else {
                Issue.record("\(config.rawValue): PyTorch's state_dict has no \(key)")
                continue
            }
            if key.hasPrefix("param_groups.") {
                #expect(
                    tensor.to(.float64).isEqual(to: expected.to(.float64)),
                    "\(config.rawValue) \(key): \(tensor) vs PyTorch \(expected)")
            } else {
                #expect(tensor.dtype == expected.dtype, "\(config.rawValue) \(key) dtype")
                expectClose(tensor, expected, rtol: 1e-5, atol: 1e-6, "\(config.rawValue) \(key)")
            }
        }
        let theirs = f.contents.tensors.keys.filter { $0.hasPrefix("\(config.rawValue).state.") }
        for key in theirs {
            let local = String(key.dropFirst(config.rawValue.count + 1))
            #expect(ours[local] != nil, "\(config.rawValue): Kinema's state dict lacks \(local)")
        }
        #expect(!theirs.isEmpty || config == .sgd || config == .sgdWeightDecayMaximize)
    }
}
