import KinemaTensor
import KinemaTestSupport
import Testing

/// What a caller can get wrong: the `checked` twins throw a TorchError naming the op, the problem
/// and the operands; the trapping surface stops the process.
@Suite struct BadInputTests {
    /// Runs `body`, expecting a TorchError, and returns it for further checks.
    private func expectTorchError(
        _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) -> TorchError? {
        do {
            try body()
            Issue.record("expected a TorchError", sourceLocation: sourceLocation)
        } catch let error as TorchError {
            return error
        } catch {
            Issue.record("expected a TorchError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test func shapeMismatchNamesTheShapes() throws {
        let a = Tensor.zeros([2, 3])
        let error = try #require(expectTorchError { _ = try a.checked.matmul(a) })
        #expect(error.op == "aten::matmul")
        #expect(error.message.contains("cannot be multiplied"), "\(error.message)")
        #expect(error.operands == ["Tensor[2, 3] float32 cpu", "Tensor[2, 3] float32 cpu"])
        #expect(error.description.contains("Tensor[2, 3] float32 cpu"))

        let broadcast = try #require(expectTorchError { _ = try a.checked.add(Tensor.zeros([4])) })
        #expect(broadcast.message.contains("must match the size"), "\(broadcast.message)")
        #expect(broadcast.operands.contains("Tensor[4] float32 cpu"))

        let joined = try #require(expectTorchError { _ = try Tensor.Checked.cat([a, Tensor.zeros([3, 3])], dim: 1) })
        #expect(joined.message.contains("Sizes of tensors must match"), "\(joined.message)")
        #expect(joined.operands == ["[Tensor[2, 3] float32 cpu, Tensor[3, 3] float32 cpu]"])

        let reshape = try #require(expectTorchError { _ = try a.checked.reshaped([4, -1]) })
        #expect(reshape.message.contains("invalid for input of size 6"), "\(reshape.message)")
        let write = try #require(expectTorchError { try a.checked.assign(Tensor.zeros([2]), at: 0) })
        #expect(write.code == .torch && write.operands.contains("Tensor[3] float32 cpu"), "\(write)")
        #expect(expectTorchError { _ = try Tensor.Checked.cat([]) } != nil, "cat of nothing")
        #expect(expectTorchError { _ = try Tensor.Checked.einsum("ij,jk->ik", [a, a]) } != nil)
    }

    @Test func dtypeMismatchSaysWhichDtypes() throws {
        let m = Tensor.zeros([2, 2])
        let ints = Tensor.zeros([2, 2], dtype: .int64)
        let product = try #require(expectTorchError { _ = try m.checked.mm(ints) })
        #expect(product.message.contains("dtype"), "\(product.message)")
        #expect(product.operands.contains("Tensor[2, 2] int64 cpu"))
        let mask = try #require(expectTorchError { _ = try m.checked.masked(fill: m, with: 1) })
        #expect(mask.message.contains("boolean"), "\(mask.message)")
        let mean = try #require(expectTorchError { _ = try ints.checked.mean() })
        #expect(mean.message.contains("dtype"), "\(mean.message)")
        let index = try #require(expectTorchError { _ = try m.checked.indexed(Tensor([0.5] as [Float])) })
        #expect(index.code == .index && index.message.contains("long, int, byte or bool"), "\(index.message)")
    }

    @Test func outOfRangeIndicesThrowIndexErrors() throws {
        let x = Tensor.zeros([3, 4])
        let position = try #require(expectTorchError { _ = try x.checked.indexed(5) })
        #expect(position.code == .index && position.message.contains("out of range"), "\(position.message)")
        let negative = try #require(expectTorchError { _ = try x.checked.indexed(.all, -5) })
        #expect(negative.code == .index, "\(negative)")
        let tooMany = try #require(expectTorchError { _ = try x.checked.indexed(0, 0, 0) })
        #expect(tooMany.code == .index && tooMany.message.contains("too many indices"), "\(tooMany.message)")
        #expect(tooMany.operands == ["Tensor[3, 4] float32 cpu"])
        let twoEllipses = try #require(expectTorchError { _ = try x.checked.indexed(.ellipsis, .ellipsis) })
        #expect(twoEllipses.message.contains("single ellipsis"))
        let advanced = try #require(expectTorchError { _ = try x.checked.indexed(Tensor([7])) })
        #expect(advanced.code == .index && advanced.message.contains("out of bounds"), "\(advanced.message)")
        let write = try #require(expectTorchError { try x.checked.assign(1.0, at: 3) })
        #expect(write.code == .index)
        let dim = try #require(expectTorchError { _ = try x.checked.sum(dims: [2]) })
        #expect(dim.code == .index && dim.message.contains("Dimension out of range"), "\(dim.message)")
        let far = Tensor([9], shape: [1, 1])
        let gather = try #require(expectTorchError { _ = try x.checked.gathered(dim: 1, index: far) })
        #expect(gather.message.contains("out of bounds"), "\(gather.message)")
        #expect(expectTorchError { _ = try x.checked.indexed(.slice(by: 0)) } != nil, "step must be positive")
        #expect(expectTorchError { _ = try x.checked.topk(5) } != nil, "k larger than the dimension")
        #expect(expectTorchError { _ = try x.checked.narrowed(dim: 1, start: 3, length: 2) } != nil)
    }

    @Test func wrongDeviceThrows() throws {
        let x = Tensor.ones([2])
        if Device.cudaDeviceCount == 0 {
            let error = try #require(expectTorchError { _ = try x.checked.to(device: .cuda(0)) })
            // Without libtorch_cuda: "… compiled without CUDA"-like; with it but no GPU: "Found no NVIDIA driver".
            #expect(["cuda", "nvidia"].contains { error.message.localizedCaseInsensitiveContains($0) }, "\(error.message)")
        } else {
            let gpu = try x.to(.cuda(0))
            let error = try #require(expectTorchError { _ = try x.checked.add(gpu) })
            #expect(error.message.contains("device"), "\(error.message)")
            #expect(error.operands.contains("Tensor[2] float32 cuda:0"))
        }
    }

    @Test func trappingSurfaceStopsOnAShapeMismatch() async {
        await #expect(processExitsWith: .failure) {
            let a = Tensor.zeros([2, 3])
            _ = a.matmul(a)
        }
    }

    @Test func trappingSubscriptStopsOnAnOutOfRangeIndex() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor.zeros([3])[3]
        }
    }
}
