import KinemaNN
import KinemaTestSupport
import Testing

// Helpers for the parity tests against Tools/fixtures/gen_nn.py. A fixture case "<case>" holds
// its inputs, `<case>.out`, the upstream gradient `<case>.grad_out` and the expected gradients
// `<case>.grad_<input>`; layer cases also hold `<case>.state.<key>` and `<case>.grad.<key>`.

/// A fresh leaf copy of `tensor`, requiring gradients when it is floating point.
func leaf(_ tensor: Tensor) -> Tensor {
    let copy = tensor.copied()
    if copy.dtype.isFloatingPoint { copy.requiresGrad = true }
    return copy
}

/// Runs `body` on leaf copies of the case's `inputs`, compares the output with `<case>.out`, then
/// back-propagates `<case>.grad_out` and compares every recorded input gradient.
///
/// `sums` is the number of terms of the longest sum of products in the forward or backward pass
/// (a convolution's window times its input channels, a gradient summed over the batch): float32
/// results are then held to ``Float32Tolerance/sums(of:magnitude:floor:)``, which any CPU meets.
func checkFunctional(
    _ fx: Safetensors.Contents, _ name: String, inputs: [String], rtol: Double = 1e-5, atol: Double = 1e-6,
    sums: Int = 1, sourceLocation: SourceLocation = #_sourceLocation, _ body: ([String: Tensor]) throws -> Tensor
) throws {
    var leaves: [String: Tensor] = [:]
    for input in inputs { leaves[input] = leaf(try fx.tensor("\(name).\(input)", sourceLocation: sourceLocation)) }
    let gradOut = try fx.tensorUnlessAbsent("\(name).grad_out", sourceLocation: sourceLocation)
    let atol = sumTolerance(sums, atol: atol, operands: Array(leaves.values) + (gradOut.map { [$0] } ?? []))
    let out = try body(leaves)
    expectClose(
        out, try fx.tensor("\(name).out"), rtol: rtol, atol: atol, "\(name) output", sourceLocation: sourceLocation)
    guard let gradOut else { return }
    out.backward(gradOut)
    for input in inputs where leaves[input]!.dtype.isFloatingPoint {
        guard let expected = try fx.tensorUnlessAbsent("\(name).grad_\(input)", sourceLocation: sourceLocation) else {
            continue
        }
        guard let grad = leaves[input]!.grad else {
            Issue.record("\(name): no gradient for \(input)", sourceLocation: sourceLocation)
            continue
        }
        expectClose(grad, expected, rtol: rtol, atol: atol, "\(name) grad of \(input)", sourceLocation: sourceLocation)
    }
}

/// Builds a layer at the root of a fresh store, loads the PyTorch state dict of `<case>.state.*`
/// strictly (which proves the key names), runs one forward/backward pass on `<case>.x` and compares
/// the output, the input gradient, every parameter's gradient and the buffers after the step.
/// `sums` as for ``checkFunctional``.
@discardableResult
func checkLayer<L: Layer & Module>(
    _ fx: Safetensors.Contents, _ name: String, mode: Mode = .train, dtype: DType = .float32, rtol: Double = 1e-5,
    atol: Double = 1e-6, sums: Int = 1, sourceLocation: SourceLocation = #_sourceLocation,
    build: (ParameterPath) throws -> L
) throws -> L {
    let store = ParameterStore(dtype: dtype)
    let layer = try build(store.root)
    let state = fx.subset("\(name).state.")
    try layer.loadStateDict(state)
    let x = leaf(try fx.tensor("\(name).x", sourceLocation: sourceLocation))
    let atol = sumTolerance(
        sums, atol: atol, operands: [x, try fx.tensor("\(name).grad_out")] + Array(state.values))
    let out = layer(x, mode: mode)
    expectClose(
        out, try fx.tensor("\(name).out"), rtol: rtol, atol: atol, "\(name) output", sourceLocation: sourceLocation)
    out.backward(try fx.tensor("\(name).grad_out"))
    if x.dtype.isFloatingPoint, let expected = try fx.tensorUnlessAbsent("\(name).grad_x", sourceLocation: sourceLocation) {
        expectClose(
            x.grad ?? Tensor.zeros([0]), expected, rtol: rtol, atol: atol, "\(name) grad of x",
            sourceLocation: sourceLocation)
    }
    let expectedGrads = fx.subset("\(name).grad.")
    #expect(
        Set(layer.namedParameters().map(\.name)) == Set(expectedGrads.keys), "\(name) parameters",
        sourceLocation: sourceLocation)
    for (key, parameter) in layer.namedParameters() {
        guard let expected = expectedGrads[key] else { continue }
        expectClose(
            parameter.grad ?? Tensor.zeros([0]), expected, rtol: rtol, atol: atol, "\(name) grad of \(key)",
            sourceLocation: sourceLocation)
    }
    for (key, buffer) in layer.namedBuffers() {
        expectClose(
            buffer, try fx.tensor("\(name).after.\(key)"), rtol: rtol, atol: atol,
            "\(name) buffer \(key) after the step",
            sourceLocation: sourceLocation)
    }
    return layer
}

/// `atol`, widened for float32 operands to what sums of `sums` products of them may differ by
/// between two correct kernels (``Float32Tolerance``).
private func sumTolerance(_ sums: Int, atol: Double, operands: [Tensor]) -> Double {
    guard operands.contains(where: { $0.dtype == .float32 }) else { return atol }
    return Float32Tolerance.sums(of: sums, magnitude: Float32Tolerance.termMagnitude(operands), floor: atol)
}

/// The longest sum of products in a convolution's forward and backward pass, from the case's
/// shapes: an output element adds (input channels / groups) × kernel taps, an input gradient
/// (output channels / groups) × taps, the weight and bias gradients add over the batch and the
/// output positions (the input positions for a transposed convolution's weight). Groups are
/// ignored, which only over-counts.
func convolutionSums(_ fx: Safetensors.Contents, _ name: String, weight: String = "w", transposed: Bool = false) throws -> Int {
    let x = try fx.tensor("\(name).x").shape
    let out = try fx.tensor("\(name).out").shape
    let taps = try fx.tensor("\(name).\(weight)").shape.dropFirst(2).reduce(1, *)
    let positions = { (shape: [Int]) in shape.dropFirst(2).reduce(1, *) }
    let overBatch = x[0] * (transposed ? max(positions(x), positions(out)) : positions(out))
    return max(taps * max(x[1], out[1]), overBatch)
}

/// The elements a normalisation statistic adds per channel (batch × positions of `<case>.x`): the
/// longest sum in batch normalisation's forward and backward pass.
func perChannelSums(_ fx: Safetensors.Contents, _ name: String) throws -> Int {
    let x = try fx.tensor("\(name).x")
    return x.count / x.shape[1]
}

