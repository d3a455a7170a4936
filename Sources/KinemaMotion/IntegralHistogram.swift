internal import CKinemaCV

/// An integral orientation histogram of a vector field (Porikli 2005, as iDT builds one per frame
/// for HOG, HOF and MBH): any rectangle's histogram in constant time.
///
/// Each vector votes its magnitude into `bins` orientation bins over 360° (or 180°), split
/// linearly between the two nearest bins; HOF adds a last "zero" bin counting (weight 1) the
/// vectors no longer than a threshold (iDT: 0.4 px).
public struct IntegralHistogram: Sendable {
    public let width: Int
    public let height: Int
    /// Histogram length: bins, plus 1 with a zero bin.
    public let dimensions: Int
    /// `[(height + 1)][(width + 1)][dimensions]`: entry (x, y) sums the votes of [0, x) × [0, y).
    private let table: [Double]

    /// Gradient kernels for HOG and MBH.
    public enum Kernel: Int32, Sendable, Codable {
        /// [−1, 0, 1], iDT's choice (OpenCV Sobel with ksize 1).
        case centralDifference = 0
        /// The 3 × 3 Sobel operator.
        case sobel = 1
    }

    /// Histogram of image gradients (HOG; iDT: 8 bins over 360°). Colour images use their luma.
    public init(gradientsOf image: Image, bins: Int = 8, fullCircle: Bool = true, kernel: Kernel = .centralDifference) throws(MotionError) {
        let (gx, gy) = try Self.gradients(image.converted(to: .gray, in: "gradient histogram").pixels, width: image.width, height: image.height, depth: KCV_U8, kernel: kernel)
        try self.init(x: gx, y: gy, width: image.width, height: image.height, bins: bins, fullCircle: fullCircle, zeroBin: nil)
    }

    /// Histogram of the flow vectors (HOF; iDT: 8 bins over 360° plus a zero bin at 0.4 px;
    /// `fullCircle` false folds opposite directions together, as a gradient histogram does).
    public init(flow: FlowField, bins: Int = 8, zeroBinThreshold: Float? = 0.4, fullCircle: Bool = true) throws(MotionError) {
        var u = [Float](repeating: 0, count: flow.width * flow.height), v = u
        for i in 0..<u.count { (u[i], v[i]) = (flow.vectors[2 * i], flow.vectors[2 * i + 1]) }
        try self.init(x: u, y: v, width: flow.width, height: flow.height, bins: bins, fullCircle: fullCircle, zeroBin: zeroBinThreshold)
    }

    /// Motion boundary histogram (MBH; Dalal, Triggs & Schmid 2006): the histogram of the gradient
    /// of one flow component (x → MBHx, y → MBHy; iDT: 8 bins over 360°).
    public init(
        motionBoundariesOf flow: FlowField, component: FlowComponent, bins: Int = 8, kernel: Kernel = .centralDifference, fullCircle: Bool = true
    ) throws(MotionError) {
        let offset = component == .x ? 0 : 1
        let plane = (0..<(flow.width * flow.height)).map { flow.vectors[2 * $0 + offset] }
        let (gx, gy) = try Self.gradients(plane, width: flow.width, height: flow.height, depth: KCV_F32, kernel: kernel)
        try self.init(x: gx, y: gy, width: flow.width, height: flow.height, bins: bins, fullCircle: fullCircle, zeroBin: nil)
    }

    public enum FlowComponent: Sendable { case x, y }

    private init(x: [Float], y: [Float], width: Int, height: Int, bins: Int, fullCircle: Bool, zeroBin: Float?) throws(MotionError) {
        guard bins >= 1, bins < 500 else { throw MotionError("integral histogram", .invalidParameter("bins must be in 1..<500")) }
        if let zeroBin, !(zeroBin >= 0) { throw MotionError("integral histogram", .invalidParameter("zero-bin threshold must be >= 0")) }
        let mat: CVMat
        do {
            mat = try withView(of: x, width: width, height: height, channels: 1, depth: KCV_F32) { (vx) throws(CVFailure) in
                try withView(of: y, width: width, height: height, channels: 1, depth: KCV_F32) { (vy) throws(CVFailure) in
                    try cvMat { kcv_integral_histogram(vx, vy, Int32(bins), fullCircle, zeroBin ?? -1, $0) }
                }
            }
        } catch { throw MotionError("integral histogram", error) }
        (self.width, self.height, dimensions, table) = (width, height, mat.channels, mat.doubles())
    }

    private static func gradients(_ plane: [some BitwiseCopyable], width: Int, height: Int, depth: kcv_depth, kernel: Kernel) throws(MotionError) -> ([Float], [Float]) {
        var gy: OpaquePointer?
        do {
            let gx = try withView(of: plane, width: width, height: height, channels: 1, depth: depth) { (v) throws(CVFailure) in
                try cvMat { kcv_gradients(v, kernel.rawValue, $0, &gy) }
            }
            return (gx.floats(), try CVMat(owning: gy).floats())
        } catch { throw MotionError("gradients", error) }
    }

    /// The histogram of the rectangle [x, x + w) × [y, y + h), clipped to the field.
    public func histogram(x: Int, y: Int, width w: Int, height h: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: dimensions) { buffer, count in
            histogram(x: x, y: y, width: w, height: h, into: buffer.baseAddress!)
            count = dimensions
        }
    }

    /// ``histogram(x:y:width:height:)`` written to `out[0..<dimensions]` (no allocation: the
    /// descriptors read millions of these).
    func histogram(x: Int, y: Int, width w: Int, height h: Int, into out: UnsafeMutablePointer<Double>) {
        let (x0, y0) = (min(max(x, 0), width), min(max(y, 0), height))
        let (x1, y1) = (min(max(x + w, x0), width), min(max(y + h, y0), height))
        let d = dimensions
        let row = (width + 1) * d
        let (a, b, c, e) = (y1 * row + x1 * d, y0 * row + x1 * d, y1 * row + x0 * d, y0 * row + x0 * d)
        table.withUnsafeBufferPointer { t in
            for k in 0..<d { out[k] = t[a + k] - t[b + k] - t[c + k] + t[e + k] }
        }
    }

    /// Histograms of the non-overlapping `cell × cell` grid, `[height / cell][width / cell][dimensions]`
    /// (frame-level HOF/MBH targets of MME's baselines, appendix C).
    public func cellGrid(cell: Int) -> [Double] {
        precondition(cell > 0, "cell must be positive")
        var out: [Double] = []
        out.reserveCapacity((height / cell) * (width / cell) * dimensions)
        for r in 0..<(height / cell) {
            for c in 0..<(width / cell) { out += histogram(x: c * cell, y: r * cell, width: cell, height: cell) }
        }
        return out
    }
}
