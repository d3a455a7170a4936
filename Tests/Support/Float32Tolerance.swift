import KinemaTensor

/// Tolerances for float32 parity that hold on any CPU, derived from the arithmetic rather than
/// tuned on one machine.
///
/// A float32 result that adds up `n` products is rounded after every addition, and libtorch adds
/// in an order that depends on the kernel (oneDNN or ATen's own), the instruction set (AVX-512,
/// AVX2, baseline) and the thread count: PyTorch's fixture and Kinema's result can differ although
/// both are right. With terms no larger than `m` and random signs, partial sums grow like √n·m, so
/// each of the n roundings errs by up to ε/2·√n·m (ε = 2⁻²³, float32's machine epsilon); with
/// random signs these add up to about √n·ε/2·√n·m = n·ε·m/2 for one order. The allowance below,
/// 2·n·ε·m, is four times that and covers the difference of two orders with room to spare, while
/// staying far below the error of a wrong operator (a missing term, tap or channel), which is of
/// the size of a term.
public enum Float32Tolerance {
    /// The absolute tolerance for sums of up to `terms` products no larger than `magnitude`, never
    /// below `floor` (today's default for element-wise results).
    public static func sums(of terms: Int, magnitude: Double, floor: Double = 1e-6) -> Double {
        Swift.max(floor, 2 * Double(terms) * magnitude * Double(Float.ulpOfOne))
    }

    /// The largest product of two operands' elements: max|a|·max|b| over the two largest of
    /// `operands` (a bound on every term of a sum of products of them).
    public static func termMagnitude(_ operands: [Tensor]) -> Double {
        let largest = operands.filter(\.dtype.isFloatingPoint)
            .map { $0.count == 0 ? 0 : $0.detached().abs().max().to(.float64).item(Double.self) }
            .sorted(by: >)
        guard let first = largest.first else { return 0 }
        return first * (largest.count > 1 ? largest[1] : 1)
    }
}
