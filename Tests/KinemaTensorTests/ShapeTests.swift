import KinemaTensor
import KinemaTestSupport
import Testing

/// Shape operations against PyTorch ("shape.*"), and which of them are views.
@Suite struct ShapeTests {
    @Test func viewsAndReshapesMatchPyTorch() throws {
        let f = try opsFixture()
        let (x, s) = (try f.tensor("shape.x"), try f.tensor("shape.s"))
        let cases: [(String, Tensor)] = [
            ("reshape", x.reshaped([4, -1])), ("flatten", x.flattened(from: 1)), ("permute", x.permuted([2, 0, 1])),
            ("transpose", x.transposed(0, 2)), ("movedim", x.movedDimension(from: 0, to: -1)),
            ("unsqueeze", x.unsqueezed(-1)), ("squeeze", s.squeezed()), ("squeeze_dim", s.squeezed(2)),
            ("narrow", x.narrowed(dim: 2, start: 1, length: 2)), ("select", x.selected(dim: 1, index: -1)),
        ]
        for (name, actual) in cases {
            expectParity(actual, try f.tensor("shape.\(name)"), name)
        }
        expectParity(x.viewed(as: [6, 4]), x.reshaped([6, 4]))
    }

    @Test func joinsAndSplitsMatchPyTorch() throws {
        let f = try opsFixture()
        let (x, y) = (try f.tensor("shape.x"), try f.tensor("shape.y"))
        expectParity(Tensor.cat([x, y], dim: 1), try f.tensor("shape.cat"))
        expectParity(Tensor.stack([x, x * 2]), try f.tensor("shape.stack"))
        expectParity(Tensor.stack([x, x * 2], dim: -1), try f.tensor("shape.stack_last"))
        let groups: [(String, [Tensor])] = [
            ("split", x.split(size: 3, dim: 2)), ("split_sizes", x.split(sizes: [1, 3], dim: 2)),
            ("chunk", x.chunked(2, dim: 1)), ("unbind", x.unbind(dim: 1)),
        ]
        for (name, parts) in groups {
            let expected = f.tensors.keys.filter { $0.hasPrefix("shape.\(name).") }.count
            #expect(parts.count == expected, "\(name) gives \(expected) parts")
            for (i, part) in parts.enumerated() {
                expectParity(part, try f.tensor("shape.\(name).\(i)"), "\(name) part \(i)")
            }
        }
    }

    @Test func tilingFlipsAndPaddingMatchPyTorch() throws {
        let f = try opsFixture()
        let (x, e, img) = (try f.tensor("shape.x"), try f.tensor("shape.e"), try f.tensor("shape.img"))
        expectParity(e.expanded(to: [2, 3, 4]), try f.tensor("shape.expand"))
        expectParity(e.expanded(to: [2, -1, 4]), try f.tensor("shape.expand"), "-1 keeps a size")
        expectParity(e.expanded(as: x), try f.tensor("shape.expand"))
        expectParity(e.repeated([2, 1, 3]), try f.tensor("shape.repeat"))
        expectParity(x.flipped([0, 2]), try f.tensor("shape.flip"))
        expectParity(x.rolled(shifts: [1, -2], dims: [0, 2]), try f.tensor("shape.roll"))
        expectParity(x.rolled(shifts: [3]), try f.tensor("shape.roll_flat"))
        expectParity(x.padded([1, 2, 0, 1], mode: .constant(0.5)), try f.tensor("shape.pad_constant"))
        expectParity(img.padded([2, 1, 1, 2], mode: .reflect), try f.tensor("shape.pad_reflect"))
        expectParity(img.padded([2, 1, 1, 2], mode: .replicate), try f.tensor("shape.pad_replicate"))
        expectParity(img.padded([2, 1, 1, 2], mode: .circular), try f.tensor("shape.pad_circular"))
    }

    @Test func viewsShareMemoryAndCopiesDoNot() {
        let x = Tensor.zeros([2, 3, 4])
        let views = [
            x.reshaped([6, 4]), x.viewed(as: [24]), x.permuted([2, 0, 1]), x.transposed(0, 1), x.unsqueezed(0),
            x.narrowed(dim: 2, start: 1, length: 2), x.selected(dim: 0, index: 1), x.expanded(to: [5, 2, 3, 4]),
            x.split(size: 2, dim: 2)[1], x.chunked(3, dim: 1)[2], x.unbind(dim: 0)[1], x.movedDimension(from: 2, to: 0),
        ]
        for (i, view) in views.enumerated() {
            x.fillInPlace(Double(i + 1))
            #expect(view.max().item(Float.self) == Float(i + 1), "view \(i) sees writes to its base")
        }
        let copies = [x.flipped([0]), x.repeated([1, 1, 1]), x.rolled(shifts: [1]), x.padded([1, 1])]
        x.fillInPlace(-5)
        for (i, copy) in copies.enumerated() {
            #expect(copy.min().item(Float.self) != -5, "copy \(i) has its own memory")
        }
        #expect(!x.transposed(0, 1).isContiguous && x.transposed(0, 1).contiguous().isContiguous)
    }
}
