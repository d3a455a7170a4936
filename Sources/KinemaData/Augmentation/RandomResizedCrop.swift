import Foundation

/// The random crop of Inception training (Szegedy et al. 2015) as torchvision's
/// `RandomResizedCrop.get_params` draws it: a region covering a uniform fraction `scale` of the
/// frame area with an aspect ratio (width / height) log-uniform in `ratio`; after 10 draws that do
/// not fit, the largest centred region whose ratio is inside `ratio`. The region is then resized
/// to the output size (see ``ClipTransform``).
public struct RandomResizedCrop: Sendable, Equatable, Codable {
    /// Fraction of the frame area covered.
    public var scale: ClosedRange<Double>
    /// Width / height of the region.
    public var ratio: ClosedRange<Double>

    public init(scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)) {
        self.scale = scale
        self.ratio = ratio
    }

    /// Throws unless 0 < scale ≤ 1 and 0 < ratio.
    public func validate() throws(DatasetError) {
        guard scale.lowerBound > 0, scale.upperBound <= 1 else {
            throw DatasetError("random resized crop", "scale must lie in (0, 1], got \(scale)")
        }
        guard ratio.lowerBound > 0, ratio.upperBound.isFinite else {
            throw DatasetError("random resized crop", "ratio must be positive, got \(ratio)")
        }
    }

    /// One region of a `width × height` frame.
    public func sample<G: RandomNumberGenerator>(width: Int, height: Int, using generator: inout G) -> CropBox {
        let area = Double(width * height)
        let logRatio = log(ratio.lowerBound)...log(ratio.upperBound)
        for _ in 0..<10 {
            let target = area * Double.random(in: scale, using: &generator)
            let aspect = exp(Double.random(in: logRatio, using: &generator))
            // Python's round(): ties to even.
            let w = Int((target * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((target / aspect).squareRoot().rounded(.toNearestOrEven))
            if 0 < w && w <= width && 0 < h && h <= height {
                let y = Int.random(in: 0...(height - h), using: &generator)
                let x = Int.random(in: 0...(width - w), using: &generator)
                return CropBox(x: x, y: y, width: w, height: h)
            }
        }
        let frameRatio = Double(width) / Double(height)
        var (w, h) = (width, height)
        if frameRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if frameRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return CropBox(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
    }
}
