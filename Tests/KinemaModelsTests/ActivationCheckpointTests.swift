import KinemaModels
import KinemaTestSupport
import Testing

/// Activation checkpointing (VisionTransformerConfiguration.checkpointBlocks): the same loss and
/// gradients as the plain network, drop path included (its masks are drawn again in backward from
/// the rewound generator), also under autocast.
@Suite struct ActivationCheckpointTests {
    private struct Step {
        let loss: Tensor
        let gradients: [String: Tensor]
        let generatorState: Tensor
    }

    /// One training step of a small ViT with drop path 0.5 (so masks matter), built from seed 3.
    private func step(checkpointed: Bool, autocast: DType? = nil) throws -> Step {
        var configuration = VisionTransformerConfiguration(dimension: 32, depth: 3, heads: 2)
        configuration.dropPath = 0.5
        configuration.checkpointBlocks = checkpointed
        let generator = try Generator(seed: 3)
        let model = try VisionTransformer(ParameterStore(generator: generator).root, configuration, classes: 3)
        let x = Tensor.randn([4, 3, 4, 32, 32], generator: try Generator(seed: 5))
        let y = Tensor([Int64(0), 1, 2, 1])
        let forward = { model(x, mode: .train).crossEntropy(targets: y) }
        let loss = try autocast.map { dtype in withAutocast(.cpu, dtype: dtype, forward) } ?? forward()
        loss.backward()
        return Step(
            loss: loss, gradients: Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.tensor.grad!) }),
            generatorState: try generator.state)
    }

    /// Checkpointed against plain, within `rtol` of each gradient's size: the checkpointed forward
    /// runs without grad mode, where libtorch may pick other kernels (attention), so the values
    /// may differ in the last bits; a wrong mask or a missing gradient differs by whole terms.
    private func compare(autocast: DType?, rtol: Double) throws {
        let plain = try step(checkpointed: false, autocast: autocast)
        let checkpointed = try step(checkpointed: true, autocast: autocast)
        expectClose(checkpointed.loss, plain.loss, rtol: rtol, atol: 0)
        #expect(checkpointed.gradients.keys.sorted() == plain.gradients.keys.sorted())
        for (name, gradient) in plain.gradients {
            let size = gradient.abs().max().to(.float64).item(Double.self)
            expectClose(checkpointed.gradients[name]!, gradient, rtol: rtol, atol: rtol * size, "\(name)")
        }
        // The generator advanced as far as in the plain step: the replays were rewound and put back.
        #expect(checkpointed.generatorState.isEqual(to: plain.generatorState))
    }

    @Test func checkpointedBlocksGiveThePlainGradients() throws {
        // Float32 sums of a few hundred terms, in another order at most: 2·n·2⁻²³ with n = 512.
        try compare(autocast: nil, rtol: 2 * 512 * Double(Float.ulpOfOne))
    }

    @Test func checkpointedBlocksUnderAutocastRecomputeInBfloat16() throws {
        // The replay re-enters the forward's autocast: four bfloat16 roundings apart at most.
        try compare(autocast: .bfloat16, rtol: 4 * 0x1p-8)
    }

    @Test func withoutGradModeTheBodyIsJustCalled() throws {
        let x = Tensor.ones([2, 2])
        let y = withNoGrad { activationCheckpoint(x) { $0 * 2 } }
        #expect(y.isEqual(to: x * 2))
    }

    @Test func aCheckpointedPieceGivesItsInputsGradient() throws {
        let x = Tensor([Float(1), 2, 3]).requiringGrad()
        let w = Tensor([Float(0.5), -1, 2]).requiringGrad()
        activationCheckpoint(x) { ($0 * w).sin() }.sum().backward()
        let expected = (x.detached() * w.detached()).cos()
        expectClose(x.grad!, expected * w.detached())
        expectClose(w.grad!, expected * x.detached())
    }
}
