internal import CKinemaCV

/// Histograms of oriented gradients (Dalal & Triggs, CVPR 2005), in the two variants Kinema needs.
public enum HOG {
    /// Block normalisations of `skimage.feature.hog`.
    public enum BlockNorm: Int32, Sendable, Codable {
        case l1 = 0, l1Sqrt, l2, l2Hys
    }

    /// The parameters of `skimage.feature.hog` (its defaults).
    public struct Parameters: Sendable, Equatable, Codable {
        public var orientations = 9
        /// (rows, columns) of a cell.
        public var pixelsPerCell = [8, 8]
        /// (rows, columns) of a block.
        public var cellsPerBlock = [3, 3]
        public var blockNorm = BlockNorm.l2Hys
        /// Square-root (gamma) compression of the image first.
        public var transformSqrt = false

        public init() {}
    }

    /// A scikit-image HOG: the feature vector and the cell histograms it was built from.
    public struct Descriptor: Sendable, Equatable {
        /// `[blockRows][blockColumns][cellsPerBlock rows][cellsPerBlock cols][orientations]`, flattened
        /// (scikit-image's `feature_vector=True` order).
        public let features: [Double]
        /// `[cellRows][cellColumns][orientations]` unnormalised cell histograms (mean magnitude per bin).
        public let cells: [Double]
        public let cellRows: Int
        public let cellColumns: Int
        public let blockRows: Int
        public let blockColumns: Int
    }

    /// HOG computed exactly as scikit-image 0.26's `skimage.feature.hog` on this 8-bit image (as
    /// float64): central-difference gradients (zero on the border), for colour the channel with the
    /// strongest gradient at each pixel (`channel_axis=-1`; a gray image is `channel_axis=None`),
    /// unsigned orientation hard-binned in `[0°, 180°)`, per-cell mean magnitudes (summed and divided
    /// in float32, as scikit-image's Cython kernel does), overlapping blocks normalised with
    /// eps = 1e-5. Matches scikit-image to floating-point rounding.
    public static func skimage(_ image: Image, _ p: Parameters = Parameters()) throws(MotionError) -> Descriptor {
        guard p.pixelsPerCell.count == 2, p.cellsPerBlock.count == 2, p.orientations > 0,
            (p.pixelsPerCell + p.cellsPerBlock).allSatisfy({ $0 > 0 })
        else { throw MotionError("HOG", .invalidParameter("orientations, pixelsPerCell (2) and cellsPerBlock (2) must be positive")) }
        let source = image.format == .rgba ? try image.converted(to: .rgb, in: "HOG") : image
        var cells: OpaquePointer?
        do {
            let features = try source.withView { (v) throws(CVFailure) in
                try cvMat {
                    kcv_hog_skimage(
                        v, Int32(p.orientations), Int32(p.pixelsPerCell[0]), Int32(p.pixelsPerCell[1]),
                        Int32(p.cellsPerBlock[0]), Int32(p.cellsPerBlock[1]), p.blockNorm.rawValue, p.transformSqrt, $0, &cells)
                }
            }
            let cellMat = try CVMat(owning: cells)
            return Descriptor(
                features: features.doubles(), cells: cellMat.doubles(), cellRows: cellMat.height, cellColumns: cellMat.width,
                blockRows: cellMat.height - p.cellsPerBlock[0] + 1, blockColumns: cellMat.width - p.cellsPerBlock[1] + 1)
        } catch { throw MotionError("HOG", error) }
    }

    /// Per-channel cell HOG, the appearance target of MaskFeat-style pretraining as MME computes it
    /// (its `VideoHOGFeat`; MME Appendix C; docs/reference-implementations.md §3.5): each channel
    /// separately, 3 × 3 Sobel gradients with the border replicated, unsigned orientation split
    /// linearly between the two nearest of `bins` bins, and the per-cell *mean* of the votes; no
    /// block normalisation.
    ///
    /// Returns `[H / cell][W / cell][channels · bins]` (channel-major within a cell). Scaling the
    /// image by a factor scales the histogram by it, so HOG of a normalised clip
    /// `(x/255 − mean)/std` is this divided by `255 · std` per channel. (MME's code drops the votes
    /// of pixels whose orientation falls exactly on a bin centre and adds a random bias to its
    /// Sobel filter; neither quirk is reproduced.)
    public static func cells(_ image: Image, cellSize: Int = 8, bins: Int = 9) throws(MotionError) -> [Float] {
        guard cellSize > 0, bins > 0 else { throw MotionError("cell HOG", .invalidParameter("cell size and bins must be positive")) }
        do { return try image.withView { (v) throws(CVFailure) in try cvMat { kcv_hog_cells(v, Int32(cellSize), Int32(bins), $0) } }.floats() } catch {
            throw MotionError("cell HOG", error)
        }
    }
}
