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

    /// The fused kernels (`fused=True`) against the same single-tensor steps. They order the
    /// arithmetic differently (bias corrections in float32 inside the kernel, the update in one
    /// expression), which moves each step's update by a few float32 roundings of the parameter;
    /// momentum and Adam's moments carry such an error on for about 1/(1 − β) steps. The
    /// tolerance is 8 roundings (8·2⁻²³ of the parameter's size) per step, times 10 for that memory.
    @Test(arguments: ParityConfig.allCases)
    func fusedKernelsFollowTheSameSteps(_ config: ParityConfig) throws {
        let f = try OptimFixture()
        let parameters = try f.initialParameters()
        let optimizer = try config.makeOptimizer(parameters)
        optimizer.fused = true
        for k in 0..<OptimFixture.steps {
            try f.run(optimizer, config, parameters: parameters, steps: k..<(k + 1))
            for (j, parameter) in parameters.enumerated() {
                let expected = try f.tensor("\(config.rawValue).step\(k).param\(j)")
                let size = expected.abs().max().to(.float64).item(Double.self)
                let allowed = Double(k + 1) * 8 * Double(Float.ulpOfOne) * size * 10
                expectClose(parameter, expected, rtol: 0, atol: allowed, "\(config.rawValue) fused, step \(k) parameter \(j)")
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
