import Foundation
import KinemaTensor

/// Two-dimensional embeddings of feature vectors for plotting how a representation separates
/// classes (MoSI Fig. 5 uses t-SNE). Both are deterministic: the same features give the same
/// picture. Computed in float64 with libtorch tensors.
public enum Embedding2D {
    /// Principal component analysis: the centred features `[N, D]` projected on their two leading
    /// principal axes → `[N, 2]`. The axes come from power iteration on the D × D covariance with
    /// deflation, from a fixed start, each axis signed so that its largest component is positive.
    public static func pca(_ features: Tensor) -> Tensor {
        let x = centred(features)
        var covariance = x.transposed(0, 1).matmul(x) / Double(max(x.shape[0] - 1, 1))
        var axes: [Tensor] = []
        for _ in 0..<2 {
            let axis = leadingEigenvector(covariance)
            let value = axis.matmul(covariance).matmul(axis).item(Double.self)
            covariance = covariance - axis.outer(axis) * value
            axes.append(axis)
        }
        return x.matmul(Tensor.stack(axes, dim: 1))
    }

    /// Exact t-SNE (van der Maaten & Hinton 2008) for up to a few thousand points (it holds
    /// N × N matrices): affinities calibrated to `perplexity` by a per-point binary search,
    /// symmetrised; the map starts from the PCA projection scaled to a standard deviation of 1e-4
    /// (scikit-learn's `init="pca"`) and follows gradient descent with momentum 0.5 → 0.8, early
    /// exaggeration 12 for the first 250 of `iterations`, adaptive gains, and scikit-learn's
    /// automatic learning rate max(N / 48, 50). Returns `[N, 2]`.
    public static func tsne(_ features: Tensor, perplexity: Double = 30, iterations: Int = 1000) -> Tensor {
        let n = features.shape[0]
        precondition(n >= 2, "t-SNE needs at least two points")
        let p = affinities(centred(features), perplexity: min(perplexity, Double(n - 1) / 3))
        let start = pca(features)
        var y = start / (start.narrowed(dim: 1, start: 0, length: 1).standardDeviation().item(Double.self) + 1e-12) * 1e-4
        var update = y.zerosLike()
        var gains = y.onesLike()
        let learningRate = max(Double(n) / 48, 50)
        let offDiagonal = 1 - Tensor.eye(n, dtype: .float64)
        for iteration in 0..<iterations {
            let exaggeration = iteration < 250 ? 12.0 : 1.0
            let momentum = iteration < 250 ? 0.5 : 0.8
            // Student-t similarities of the map, and the gradient 4·Σ_j (p_ij − q_ij)·num_ij·(y_i − y_j).
            let numerator = (1 + squaredDistances(y)).reciprocal() * offDiagonal
            let q = (numerator / numerator.sum()).clamped(min: 1e-12)
            let weights = (p * exaggeration - q) * numerator
            let gradient = (weights.sum(dims: [1], keepdim: true) * y - weights.matmul(y)) * 4
            // Delta-bar-delta gains: grow where the gradient turned against the last update.
            let turned = (gradient * update) .< 0
            gains = Tensor.where(turned, gains + 0.2, gains * 0.8).clamped(min: 0.01)
            update = update * momentum - gains * gradient * learningRate
            y = y + update
        }
        return y - y.mean(dims: [0], keepdim: true)
    }

    /// Float64 features minus their mean.
    private static func centred(_ features: Tensor) -> Tensor {
        precondition(features.rank == 2, "features must be [N, D], got \(features.shape)")
        let x = features.to(.float64)
        return x - x.mean(dims: [0], keepdim: true)
    }

    /// `‖x_i − x_j‖²` for all pairs, `[N, N]`.
    private static func squaredDistances(_ x: Tensor) -> Tensor {
        let norms = (x * x).sum(dims: [1], keepdim: true)
        return (norms + norms.transposed(0, 1) - x.matmul(x.transposed(0, 1)) * 2).clamped(min: 0)
    }

    /// The symmetric affinities `(P + Pᵀ) / 2N` whose rows P_{·|i} have perplexity `perplexity`:
    /// each row's precision β_i found by bisection (all rows at once, 64 halvings).
    private static func affinities(_ x: Tensor, perplexity: Double) -> Tensor {
        let n = x.shape[0]
        let offDiagonal = 1 - Tensor.eye(n, dtype: .float64)
        var distances = squaredDistances(x)
        // Shifting a row by its smallest distance to another point changes neither P_{·|i} nor its
        // entropy, and keeps exp(−β·d) from underflowing for far-apart points.
        let nearest = (distances + Tensor.eye(n, dtype: .float64) * 1e300).amin(dims: [1], keepdim: true)
        distances = (distances - nearest).clamped(min: 0)
        let target = log(perplexity)
        var beta = Tensor.ones([n, 1], dtype: .float64) / (distances.mean(dims: [1], keepdim: true) + 1e-12)
        var low = Tensor.zeros([n, 1], dtype: .float64)
        var high = Tensor.full([n, 1], Double.infinity, dtype: .float64)
        var rows = Tensor.zeros([n, n], dtype: .float64)
        for _ in 0..<64 {
            let unnormalised = (distances * beta).negated().exp() * offDiagonal
            let total = unnormalised.sum(dims: [1], keepdim: true).clamped(min: 1e-300)
            rows = unnormalised / total
            let entropy = total.log() + beta * (distances * rows).sum(dims: [1], keepdim: true)
            // Too flat (entropy above the target): sharpen (raise β); else soften.
            let tooFlat = entropy .> target
            low = Tensor.where(tooFlat, beta, low)
            high = Tensor.where(tooFlat, high, beta)
            beta = Tensor.where(high.isFinite(), (low + high) / 2, beta * 2)
        }
        return ((rows + rows.transposed(0, 1)) / Double(2 * n)).clamped(min: 1e-12)
    }

    /// The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite
    /// matrix, by power iteration from a fixed start; signed so its largest component is positive.
    private static func leadingEigenvector(_ matrix: Tensor) -> Tensor {
        let d = matrix.shape[0]
        var v = (Tensor.arange(0, d, dtype: .float64) + 1).sqrt()
        v = v / v.norm().item(Double.self)
        for _ in 0..<500 {
            let next = matrix.matmul(v)
            let length = next.norm().item(Double.self)
            guard length > 1e-300 else { return v }
            let normalised = next / length
            let change = (normalised - v).abs().max().item(Double.self)
            v = normalised
            if change < 1e-12 { break }
        }
        let largest = v.abs().argmax().item(Int64.self)
        return v[Int(largest)].item(Double.self) < 0 ? v.negated() : v
    }
}
