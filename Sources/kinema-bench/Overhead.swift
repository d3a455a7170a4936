import KinemaTensor

/// Per-op cost of crossing the Swift/C boundary: many adds of 4-element tensors, where the
/// arithmetic is negligible and what is measured is dispatch (ours vs PyTorch eager's).
func kinemaOverheadMicroseconds(ops: Int) -> Double {
    let a = Tensor.ones([4])
    let b = Tensor.ones([4])
    let (median, _) = medianSeconds(warmup: 1, repeats: 5) {
        for _ in 0..<ops { _ = a + b }
    }
    return median / Double(ops) * 1e6
}
