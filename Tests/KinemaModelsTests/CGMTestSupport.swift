import KinemaModels
import KinemaTestSupport
import Testing

// Tolerances of the CGM-Net parity tests (Tools/fixtures/gen_cgm.py).
//
// Most expected values were computed in float64 by PyTorch and stored rounded to float32, and
// Kinema recomputes them in float64. The stored value differs from the float64 one by at most half
// a float32 ulp of itself (relative 2⁻²⁴); Kinema's and PyTorch's float64 results differ by the
// rounding of sums in another order, at most about n·ε₆₄·m for n terms of size m — for any
// reduction below 10⁶ terms of at most the tensor's largest magnitude S that is below 10⁻¹⁰·S.
// Allowing rtol ε₃₂ (2⁻²³, twice the storage rounding) and atol ε₃₂·S (over 1000 times the
// float64 noise) holds on any CPU, while a wrong tap, channel or term errs by O(S).

/// `actual` (computed in float64) against a float32-stored float64 reference (see above).
func expectStoredFloat64(
    _ actual: Tensor, _ expected: Tensor, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation
) {
    let epsilon = Double(Float.ulpOfOne)
    let scale = expected.abs().max().to(.float64).item(Double.self)
    expectClose(actual, expected, rtol: epsilon, atol: epsilon * scale, comment, sourceLocation: sourceLocation)
}

/// Exactly equal values and shapes (reporting the largest difference).
func expectIdentical(_ actual: Tensor, _ expected: Tensor, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("shape \(actual.shape) != \(expected.shape) — \(comment)", sourceLocation: sourceLocation)
        return
    }
    let largest = (actual - expected).abs().max().to(.float64).item(Double.self)
    #expect(largest == 0, comment, sourceLocation: sourceLocation)
}

/// The parity network of gen_cgm.py: r3d_18's layout at width 2 (r3d_18_tiny's 10-way head), r = 4,
/// k = 3, k̂ = 5, decoder [8, 8, 2], context width 1.
func tinyCGMConfiguration() -> CGMNetConfiguration {
    var configuration = CGMNetConfiguration()
    configuration.backbone = "r3d_18_tiny"
    configuration.backboneWidth = 2
    configuration.kernel = 3
    configuration.hrKernel = 5
    configuration.decoderChannels = [8, 8, 2]
    configuration.contextWidth = 1
    return configuration
}
