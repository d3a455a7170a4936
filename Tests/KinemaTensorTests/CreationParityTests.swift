import KinemaTensor
import KinemaTestSupport
import Testing

/// Factories and seeded random draws against PyTorch ("create.*", "random.*"). Kinema's
/// `Generator(seed:)` is libtorch's CPU generator, so the same seed gives the same numbers as
/// `torch.Generator().manual_seed(seed)`.
@Suite struct CreationParityTests {
    @Test func factoriesMatchPyTorch() throws {
        let f = try opsFixture()
        expectParity(Tensor.arange(2, 11, step: 3), try f.tensor("create.arange_int"))
        expectParity(Tensor.arange(0.0, 1.0, step: 0.25), try f.tensor("create.arange_float"))
        expectParity(Tensor.linspace(-1, 1, steps: 5), try f.tensor("create.linspace"))
        expectParity(Tensor.eye(3), try f.tensor("create.eye"))
        expectParity(Tensor.eye(2, 4), try f.tensor("create.eye_rect"))
        expectParity(Tensor.full([2, 3], 7.5), try f.tensor("create.full"))
        expectParity(Tensor.full([2], 4, dtype: .int64), try f.tensor("create.full_int"))
    }

    @Test func simpleFactoriesAndArrays() {
        #expect(Tensor.zeros([2, 3]).array(of: Float.self) == [Float](repeating: 0, count: 6))
        #expect(Tensor.ones([2], dtype: .int32).array(of: Int32.self) == [1, 1])
        #expect(Tensor.empty([4, 0]).shape == [4, 0])
        let x = Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [2, 3])
        #expect(x.shape == [2, 3] && x.dtype == .float64)
        #expect(x.zerosLike().shape == [2, 3] && x.onesLike().sum().item(Double.self) == 6)
        #expect(x.fullLike(2).array(of: Double.self) == [2, 2, 2, 2, 2, 2])
        #expect(Tensor(scalar: Int32(7)).shape == [] && Tensor(scalar: Int32(7)).item(Int32.self) == 7)
        #expect(x.array(of: Int.self) == [1, 2, 3, 4, 5, 6])
    }

    @Test func seededDrawsMatchPyTorch() throws {
        let f = try opsFixture()
        expectParity(Tensor.rand([3, 4], generator: try Generator(seed: 7)), try f.tensor("random.rand"))
        expectParity(Tensor.randn([20], generator: try Generator(seed: 8)), try f.tensor("random.randn"))
        expectParity(
            Tensor.randn([5], generator: try Generator(seed: 8), dtype: .float64), try f.tensor("random.randn_double"))
        expectParity(Tensor.randint(0, 10, [3, 5], generator: try Generator(seed: 9)), try f.tensor("random.randint"))
        expectParity(Tensor.randperm(12, generator: try Generator(seed: 10)), try f.tensor("random.randperm"))
        let sequence = try Generator(seed: 11)
        expectParity(Tensor.rand([4], generator: sequence), try f.tensor("random.sequence_rand"))
        expectParity(
            Tensor.randn([4], generator: sequence), try f.tensor("random.sequence_randn"), "the stream continues")
    }

    @Test func seededInPlaceDrawsMatchPyTorch() throws {
        let f = try opsFixture()
        let uniform = Tensor.empty([6])
        uniform.uniformInPlace(-1, 2, generator: try Generator(seed: 12))
        expectParity(uniform, try f.tensor("random.uniform_"))
        let normal = Tensor.empty([6])
        normal.normalInPlace(mean: 1, std: 0.5, generator: try Generator(seed: 13))
        expectParity(normal, try f.tensor("random.normal_"))
        let coin = Tensor.zeros([10])
        coin.bernoulliInPlace(0.3, generator: try Generator(seed: 14))
        expectParity(coin, try f.tensor("random.bernoulli_"))
    }

    @Test func generatorStateResumesTheStream() throws {
        let g = try Generator(seed: 3)
        _ = Tensor.rand([5], generator: g)
        let saved = try g.state
        let first = Tensor.randn([8], generator: g)
        try g.setState(saved)
        #expect(Tensor.randn([8], generator: g).isEqual(to: first))
        #expect(!Tensor.randn([8], generator: g).isEqual(to: first), "the stream moves on")
    }
}
