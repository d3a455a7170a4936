internal import CKinemaCV

/// How a warp reads an image between its pixels.
public enum Interpolation: Int32, Sendable, Codable, CaseIterable {
    case nearest = 0
    case bilinear = 1
    /// OpenCV's cubic convolution, a = −0.75 (PyTorch's too).
    case bicubic = 2
}

extension Image {
    /// The image warped by an affine map in PIL's convention, at its own size: output point
    /// (x, y) reads this image at (a·x + b·y + c, d·x + e·y + f) for `matrix` = (a, b, c, d, e, f),
    /// coordinates measured from the top-left corner of the image (pixel centres at half
    /// integers). As PIL's `Image.transform(size, AFFINE, matrix, resample, fillcolor: fill)`, which
    /// timm's RandAugment geometry uses: an output pixel whose source point lies outside the image
    /// is `fill`; the others are interpolated, reading neighbours past the edge as the edge pixel.
    ///
    /// OpenCV interpolates (Kinema does not re-write a resampler): its bicubic kernel is a = −0.75
    /// where PIL's affine bicubic is a = −1, and it places the source point to 1/32 pixel. Both
    /// differences scale with the image's gradient (at most 0.05 and 0.016 levels per level/pixel).
    public func transformedAffine(_ matrix: [Double], interpolation: Interpolation, fill: [UInt8]) throws(VideoError)
        -> Image
    {
        guard matrix.count == 6, matrix.allSatisfy(\.isFinite) else {
            throw VideoError(path: "<image>", reason: .invalidArgument("an affine map needs 6 finite values, got \(matrix)"))
        }
        guard fill.count == channels else {
            throw VideoError(path: "<image>", reason: .invalidArgument("fill needs \(channels) values, got \(fill.count)"))
        }
        let (a, b, c, d, e, f) = (matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5])
        // From corner-based to OpenCV's pixel-index coordinates (centres at integers): index u reads
        // at PIL point u + ½, and the source point p at index p − ½.
        let m = [a, b, c + (a + b - 1) / 2, d, e, f + (d + e - 1) / 2]
        return try Image(shim("affine warp") { v, out in
            m.withUnsafeBufferPointer { mp in
                fill.withUnsafeBufferPointer { fp in
                    kcv_image_warp_affine(v, mp.baseAddress, interpolation.rawValue, fp.baseAddress, out)
                }
            }
        })
    }
}
