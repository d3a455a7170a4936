import KinemaTensor
import KinemaTestSupport
import Testing

/// Identities that hold for any input: round trips and invariants of the shape and reduction ops.
@Suite struct PropertyTests {
    static let shapes: [[Int]] = [[6], [2, 3], [2, 3, 4], [1, 4, 1, 3], [3, 1, 2, 2, 2]]

    private func sample(_ shape: [Int], seed: UInt64) throws -> Tensor {
        Tensor.randn(shape, generator: try Generator(seed: seed))
    }

    @Test(arguments: shapes)
    func reshapeRoundTrips(shape: [Int]) throws {
        let x = try sample(shape, seed: 1)
        #expect(x.reshaped([-1]).reshaped(shape).isEqual(to: x))
        #expect(x.flattened().viewed(as: shape).isEqual(to: x))
        #expect(x.unsqueezed(0).squeezed(0).isEqual(to: x))
    }

    @Test(arguments: shapes)
    func permutationInverseRestores(shape: [Int]) throws {
        let x = try sample(shape, seed: 2)
        let order = Tensor.randperm(shape.count, generator: try Generator(seed: 4)).array(of: Int.self)
        var inverse = [Int](repeating: 0, count: order.count)
        for (i, d) in order.enumerated() { inverse[d] = i }
        let permuted = x.permuted(order)
        #expect(permuted.shape == order.map { shape[$0] })
        #expect(permuted.permuted(inverse).isEqual(to: x))
        #expect(x.flipped([0]).flipped([0]).isEqual(to: x))
        #expect(x.rolled(shifts: [2], dims: [0]).rolled(shifts: [-2], dims: [0]).isEqual(to: x))
        #expect(x.transposed(0, -1).transposed(0, -1).isEqual(to: x))
    }

    @Test(arguments: shapes)
    func splitThenCatIsTheIdentity(shape: [Int]) throws {
        let x = try sample(shape, seed: 3)
        let last = shape.count - 1
        #expect(Tensor.cat(x.split(size: 2, dim: last), dim: last).isEqual(to: x))
        #expect(Tensor.cat(x.chunked(3, dim: 0), dim: 0).isEqual(to: x))
        #expect(Tensor.stack(x.unbind(dim: 0), dim: 0).isEqual(to: x))
        let sizes = [1, shape[0] - 1]
        #expect(x.split(sizes: sizes, dim: 0).map(\.shape[0]) == sizes)
    }

    @Test func sumOverCatIsTheSumOfTheParts() throws {
        let parts = [try sample([2, 3], seed: 10), try sample([4, 3], seed: 11), try sample([1, 3], seed: 12)]
        let whole = Tensor.cat(parts)
        // Both sides add the same 21 (or, per column, 7) float32 values in other orders.
        let magnitude = Float32Tolerance.termMagnitude([whole])
        let total = parts.map { $0.sum().item(Double.self) }.reduce(0, +)
        #expect(Swift.abs(whole.sum().item(Double.self) - total) <= Float32Tolerance.sums(of: whole.count, magnitude: magnitude))
        let columns = whole.sum(dims: [0])
        expectClose(
            columns, parts.map { $0.sum(dims: [0]) }.dropFirst().reduce(parts[0].sum(dims: [0]), +),
            atol: Float32Tolerance.sums(of: whole.size(0), magnitude: magnitude))
        // max over the parts' maxima is the max of the whole
        #expect(Tensor.cat(parts).max().item(Float.self) == parts.map { $0.max().item(Float.self) }.max())
    }

    @Test func sortingIsConsistent() throws {
        let x = try sample([4, 7], seed: 20)
        let (values, indices) = x.sorted(dim: 1)
        #expect(x.gathered(dim: 1, index: indices).isEqual(to: values))
        #expect((values[.all, 1...] .>= values[.all, ..<(-1)]).all().item(Bool.self))
        #expect(x.argsorted(dim: 1).isEqual(to: indices))
        #expect(x.topk(3, dim: 1, largest: false).values.isEqual(to: values[.all, ..<3]))
        #expect(x.max(dim: 1).values.isEqual(to: values[.all, -1]))
        #expect(x.cumulativeSum(dim: 1)[.all, -1].isClose(to: x.sum(dims: [1]), rtol: 1e-5, atol: 1e-6))
    }

    @Test func indexingAgreesWithTheNamedOperations() throws {
        let x = try sample([4, 5, 6], seed: 30)
        #expect(x[2].isEqual(to: x.selected(dim: 0, index: 2)))
        #expect(x[.all, 1..<4].isEqual(to: x.narrowed(dim: 1, start: 1, length: 3)))
        #expect(x[.ellipsis, Tensor([5, 0])].isEqual(to: x.indexSelected(dim: 2, index: Tensor([5, 0]))))
        #expect(x[x .> 0].isEqual(to: x.flattened()[x.flattened() .> 0]))
        #expect(x[.newAxis, .ellipsis, .newAxis].shape == [1, 4, 5, 6, 1])
        let mask = x .> 0
        #expect(x.masked(fill: mask, with: 0).isEqual(to: Tensor.where(mask, 0.0, x)))
    }
}
