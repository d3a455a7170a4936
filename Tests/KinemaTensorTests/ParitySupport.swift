import KinemaTensor
import KinemaTestSupport
import Testing

/// The PyTorch reference values for the general tensor operations (Tools/fixtures/gen_ops.py).
func opsFixture() throws -> Safetensors.Contents { try fixture("ops") }

/// `actual` has PyTorch's dtype and values (allclose with the given tolerances; exact for
/// integers and bools, whose values convert to float64 without loss here).
func expectParity(
    _ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-5, atol: Double = 1e-6, _ note: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let comment = note.map { Comment(rawValue: $0) }
    #expect(actual.dtype == expected.dtype, comment, sourceLocation: sourceLocation)
    expectClose(actual, expected, rtol: rtol, atol: atol, comment, sourceLocation: sourceLocation)
}

/// Reads a fixture's `(values, indices)` pair stored as "<name>.values" and "<name>.indices".
func expectPairParity(
    _ actual: (values: Tensor, indices: Tensor), _ name: String, in f: Safetensors.Contents,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    expectParity(actual.values, try f.tensor("\(name).values"), "\(name).values", sourceLocation: sourceLocation)
    expectParity(actual.indices, try f.tensor("\(name).indices"), "\(name).indices", sourceLocation: sourceLocation)
}
