/// The multi-scale crop of TSN (Wang et al. 2016, §3.2 "corner cropping and scale-jittering") as
/// VideoMAE's pretraining draws it (`GroupMultiScaleCrop(224, [1, .875, .75, .66])`,
/// `MCG-NJU/VideoMAE` `transforms.py`): the crop's width and height are each a scale of the frame's
/// short side — sides within 3 pixels of the output size snap to it — at most `maxDistort` scale
/// steps apart, placed at one of 13 fixed positions (the corners, the centre, the edge midpoints and
/// the quarter points of a 4 × 4 grid of the room left over). The region is then resized to the
/// output size (see ``ClipTransform``).
public struct MultiScaleCrop: Sendable, Equatable, Codable {
    /// Side scales relative to the frame's short side.
    public var scales: [Double]
    /// How many scale steps the width and height may differ by.
    public var maxDistort: Int

    public init(scales: [Double] = [1, 0.875, 0.75, 0.66], maxDistort: Int = 1) {
        self.scales = scales
        self.maxDistort = maxDistort
    }

    public func validate() throws(DatasetError) {
        guard !scales.isEmpty, scales.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw DatasetError("multi-scale crop", "scales must be in (0, 1], got \(scales)")
        }
        guard maxDistort >= 0 else { throw DatasetError("multi-scale crop", "maxDistort must be ≥ 0, got \(maxDistort)") }
    }

    /// One region of a `width × height` frame, for an `outputSize`² output.
    public func sample<G: RandomNumberGenerator>(
        width: Int, height: Int, outputSize: Int, using generator: inout G
    ) -> CropBox {
        // `int(base_size * x)` truncates; sides close to the output size are snapped to it.
        let sides = scales.map { scale in
            let side = Int(Double(min(width, height)) * scale)
            return abs(side - outputSize) < 3 ? outputSize : side
        }
        var pairs: [(width: Int, height: Int)] = []
        for (i, h) in sides.enumerated() {
            for (j, w) in sides.enumerated() where abs(i - j) <= maxDistort { pairs.append((min(w, width), min(h, height))) }
        }
        let size = pairs.randomElement(using: &generator)!
        let offsets = Self.fixedOffsets(width: width, height: height, cropWidth: size.width, cropHeight: size.height)
        let offset = offsets.randomElement(using: &generator)!
        return CropBox(x: offset.x, y: offset.y, width: size.width, height: size.height)
    }

    /// TSN's `fill_fix_offset(more_fix_crop=True)`: 13 places on a grid of quarter steps of the room.
    static func fixedOffsets(width: Int, height: Int, cropWidth: Int, cropHeight: Int) -> [(x: Int, y: Int)] {
        let (w, h) = ((width - cropWidth) / 4, (height - cropHeight) / 4)
        return [
            (0, 0), (4 * w, 0), (0, 4 * h), (4 * w, 4 * h), (2 * w, 2 * h),
            (0, 2 * h), (4 * w, 2 * h), (2 * w, 4 * h), (2 * w, 0),
            (w, h), (3 * w, h), (w, 3 * h), (3 * w, 3 * h),
        ]
    }
}
