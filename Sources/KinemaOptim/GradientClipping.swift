import KinemaTensor

/// Scales the gradients of `parameters` in place so that their global norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`), and returns that norm before clipping.
///
/// The global norm is the `normType`-norm of all gradients taken as one vector (2 by default;
/// `.infinity` for the largest magnitude). Every gradient is multiplied by
/// `min(maxNorm / (norm + 1e-6), 1)`, as PyTorch does. Parameters without a gradient are
/// skipped; with none at all the norm is 0.
///
/// - Returns: the total norm as a zero-dimensional tensor on the gradients' device (read it
///   with `item()` only when you log it, to avoid a device synchronisation every step).
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double, normType: Double = 2) -> Tensor {
    withNoGrad {
        let gradients = parameters.compactMap(\.grad)
        guard let first = gradients.first else { return Tensor(scalar: Float(0)) }
        let norms = gradients.map { vectorNorm($0, normType) }
        let total = vectorNorm(ClipOps.stack(norms.map { norm in orTrap { try norm.to(first.device) } }), normType)
        // `max_norm / (total_norm + 1e-6)` in Python is `reciprocal(total + 1e-6) * max_norm`,
        // which is what Kinema's scalar-over-tensor division computes too.
        let coefficient = (maxNorm / (total + 1e-6)).clamped(max: 1)
        for gradient in gradients {
            gradient.multiplyInPlace(orTrap { try coefficient.to(gradient.device) })
        }
        return total
    }
}

private func vectorNorm(_ x: Tensor, _ order: Double) -> Tensor {
    orTrap { try ClipOps.vectorNorm.call(.tensor(x), .double(order)) }
}

private enum ClipOps {
    static let vectorNorm = TorchOp("aten::linalg_vector_norm")
    static let stackOp = TorchOp("aten::stack")

    static func stack(_ tensors: [Tensor]) -> Tensor {
        orTrap { try stackOp.call(.tensors(tensors), .int(0)) }
    }
}
