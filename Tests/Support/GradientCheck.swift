import KinemaTensor
import Testing

/// Checks autograd's gradients of a scalar function against central finite differences,
/// `(f(x + h·eᵢ) - f(x - h·eᵢ)) / 2h`, computed in float64: an independent check of backward
/// passes that needs no reference implementation (like `torch.autograd.gradcheck`).
///
/// `inputs` are converted to float64 and should be small (every element costs two evaluations)
/// and away from kinks (ties in max, zeros of abs). `function` must return a one-element tensor.
public func expectGradientsMatchFiniteDifferences(
    at inputs: [Tensor], step: Double = 1e-6, rtol: Double = 1e-5, atol: Double = 1e-7,
    sourceLocation: SourceLocation = #_sourceLocation, of function: ([Tensor]) -> Tensor
) {
    let points = inputs.map { $0.detached().to(.float64).copied() }
    let leaves = points.map { $0.copied().requiringGrad() }
    let output = function(leaves)
    guard output.count == 1 else {
        Issue.record("the function must return one element, got \(output.summary)", sourceLocation: sourceLocation)
        return
    }
    output.backward()

    func value(replacing k: Int, with values: [Double]) -> Double {
        var arguments = points
        arguments[k] = Tensor(values, shape: points[k].shape)
        return withNoGrad { function(arguments).item(Double.self) }
    }
    for (k, point) in points.enumerated() {
        var values = point.array(of: Double.self)
        var numeric = [Double](repeating: 0, count: values.count)
        for i in values.indices {
            let original = values[i]
            values[i] = original + step
            let plus = value(replacing: k, with: values)
            values[i] = original - step
            let minus = value(replacing: k, with: values)
            values[i] = original
            numeric[i] = (plus - minus) / (2 * step)
        }
        let analytic = leaves[k].grad ?? point.zerosLike()
        expectClose(
            analytic, Tensor(numeric, shape: point.shape), rtol: rtol, atol: atol, "gradient of input \(k)",
            sourceLocation: sourceLocation)
    }
}
