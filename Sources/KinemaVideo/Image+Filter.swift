internal import CKinemaCV

extension Image {
    /// The image correlated with a 3×3 `kernel` (row-major), rounded to bytes, except for its
    /// one-pixel frame, which keeps its values: PIL's `Image.filter` with a 3×3 `ImageFilter.Kernel`
    /// (its `SMOOTH` is RandAugment's sharpness reference).
    public func filtered3x3(_ kernel: [Float]) throws(VideoError) -> Image {
        guard kernel.count == 9, kernel.allSatisfy(\.isFinite) else {
            throw VideoError(path: "<image>", reason: .invalidArgument("a 3×3 kernel needs 9 finite values, got \(kernel.count)"))
        }
        return try Image(shim("3×3 filter") { v, out in
            kernel.withUnsafeBufferPointer { kcv_image_filter3x3(v, $0.baseAddress, out) }
        })
    }
}
