import KinemaNN
import KinemaTestSupport
import Testing

// Helpers for the parity tests against Tools/fixtures/gen_nn.py. A fixture case "<case>" holds
// its inputs, `<case>.out`, the upstream gradient `<case>.grad_out` and the expected gradients
// `<case>.grad_<input>`; layer cases also hold `<case>.state.<key>` and `<case>.grad.<key>`.

extension Safetensors.Contents {
    /// The tensors whose names start with `prefix`, keyed by the rest of the name.
    func subset(_ prefix: String) -> [String: Tensor] {
        Dictionary(
            uniqueKeysWithValues: tensors.compactMap { key, value in
                key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), value) : nil
            })
    }
}

/// A fresh leaf copy of `tensor`, requiring gradients when it is floating point.
func leaf(_ tensor: Tensor) -> Tensor {
    let copy = tensor.copied()
    if copy.dtype.isFloatingPoint { copy.requiresGrad = true }
    return copy
}

/// Runs `body` on leaf copies of the case's `inputs`, compares the output with `<case>.out`, then
/// back-propagates `<case>.grad_out` and compares every recorded input gradient.
func checkFunctional(
    _ fx: Safetensors.Contents, _ name: String, inputs: [String], rtol: Double = 1e-5, atol: Double = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: ([String: Tensor]) throws -> Tensor
) throws {
    var leaves: [String: Tensor] = [:]
    for input in inputs { leaves[input] = leaf(try fx.tensor("\(name).\(input)", sourceLocation: sourceLocation)) }
    let out = try body(leaves)
    expectClose(
        out, try fx.tensor("\(name).out"), rtol: rtol, atol: atol, "\(name) output", sourceLocation: sourceLocation)
    guard let gradOut = fx.tensors["\(name).grad_out"] else { return }
    out.backward(gradOut)
    for input in inputs {
        guard let expected = fx.tensors["\(name).grad_\(input)"] else { continue }
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
@discardableResult
func checkLayer<L: Layer & Module>(
    _ fx: Safetensors.Contents, _ name: String, mode: Mode = .train, dtype: DType = .float32, rtol: Double = 1e-5,
    atol: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation, build: (ParameterPath) throws -> L
) throws -> L {
    let store = ParameterStore(dtype: dtype)
    let layer = try build(store.root)
    try layer.loadStateDict(fx.subset("\(name).state."))
    let x = leaf(try fx.tensor("\(name).x", sourceLocation: sourceLocation))
    let out = layer(x, mode: mode)
    expectClose(
        out, try fx.tensor("\(name).out"), rtol: rtol, atol: atol, "\(name) output", sourceLocation: sourceLocation)
    out.backward(try fx.tensor("\(name).grad_out"))
    if let expected = fx.tensors["\(name).grad_x"] {
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
