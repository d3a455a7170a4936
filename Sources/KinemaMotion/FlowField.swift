internal import CKinemaCV

/// A dense optical-flow field: for each pixel (x, y) of the first frame, the displacement (u, v)
/// in pixels to where it appears in the second frame, `second(x + u, y + v) ≈ first(x, y)`.
///
/// `vectors` holds `height × width × 2` floats, row-major, u and v interleaved (OpenCV's CV_32FC2
/// and Middlebury's layout). A plain value: safe to send between threads.
public struct FlowField: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `[height][width][2]` (u, v).
    public var vectors: [Float]

    public init(width: Int, height: Int, vectors: [Float]) {
        precondition(width > 0 && height > 0, "flow size must be positive, got \(width)x\(height)")
        precondition(vectors.count == width * height * 2, "\(width)x\(height) flow needs \(width * height * 2) floats, got \(vectors.count)")
        self.width = width
        self.height = height
        self.vectors = vectors
    }

    /// A field with the same vector (u, v) everywhere (zero by default).
    public init(width: Int, height: Int, u: Float = 0, v: Float = 0) {
        var vectors = [Float](repeating: u, count: width * height * 2)
        if u != v { for i in stride(from: 1, to: vectors.count, by: 2) { vectors[i] = v } }
        self.init(width: width, height: height, vectors: vectors)
    }

    /// The field of a known motion: each pixel's displacement is `motion(x, y) − (x, y)`, where
    /// `motion` maps a first-frame position to its second-frame position.
    public init(width: Int, height: Int, motion: (Double, Double) -> (x: Double, y: Double)) {
        var vectors = [Float](repeating: 0, count: width * height * 2)
        for y in 0..<height {
            for x in 0..<width {
                let to = motion(Double(x), Double(y))
                vectors[(y * width + x) * 2] = Float(to.x - Double(x))
                vectors[(y * width + x) * 2 + 1] = Float(to.y - Double(y))
            }
        }
        self.init(width: width, height: height, vectors: vectors)
    }

    /// The vector at pixel (x, y).
    public subscript(x: Int, y: Int) -> (u: Float, v: Float) {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "(\(x), \(y)) outside the \(width)x\(height) flow")
        let i = (y * width + x) * 2
        return (vectors[i], vectors[i + 1])
    }

    /// Whether a vector marks "unknown flow" in Middlebury's convention (|u| or |v| > 1e9, or NaN).
    public static func isUnknown(u: Float, v: Float) -> Bool {
        u.isNaN || v.isNaN || abs(u) > 1e9 || abs(v) > 1e9
    }

    /// The largest finite vector length (unknown vectors ignored).
    public var maxMagnitude: Float {
        var best: Float = 0
        vectors.withUnsafeBufferPointer { p in
            for i in stride(from: 0, to: p.count, by: 2) where !Self.isUnknown(u: p[i], v: p[i + 1]) {
                best = max(best, (p[i] * p[i] + p[i + 1] * p[i + 1]).squareRoot())
            }
        }
        return best
    }

    /// Each component clamped to `[−bound, bound]` (dense_flow's ±20 px truncation by default).
    public func clipped(to bound: Float = 20) -> FlowField {
        precondition(bound > 0, "bound must be positive")
        return FlowField(width: width, height: height, vectors: vectors.map { min(max($0, -bound), bound) })
    }

    /// Each component filtered by a 3 × 3 median (border replicated): the smoothing DT/iDT and MME
    /// (appendix B, Eq. 6) apply before tracking points with the flow. Throws only when OpenCV
    /// fails (out of memory).
    public func medianFiltered() throws(MotionError) -> FlowField {
        do {
            return FlowField(try withView { (v) throws(CVFailure) in try cvMat { kcv_flow_median3(v, $0) } })
        } catch { throw MotionError("median filter of a \(width)x\(height) flow", error) }
    }

    /// The field resampled to `width × height` as ``Image/resized(width:height:)`` resamples an
    /// image (area averaging when shrinking, bilinear when enlarging), its vectors scaled by the
    /// size ratio: displacements in the new grid's pixels. Throws only when OpenCV fails.
    public func resized(width w: Int, height h: Int) throws(MotionError) -> FlowField {
        guard w > 0, h > 0 else { throw MotionError("flow resize", .invalidParameter("target \(w)x\(h) must be positive")) }
        if w == width && h == height { return self }
        var out: FlowField
        do {
            out = FlowField(try withView { (v) throws(CVFailure) in try cvMat { kcv_image_resize(v, Int32(w), Int32(h), $0) } })
        } catch { throw MotionError("resize of a \(width)x\(height) flow", error) }
        let (sx, sy) = (Float(w) / Float(width), Float(h) / Float(height))
        for i in stride(from: 0, to: out.vectors.count, by: 2) {
            out.vectors[i] *= sx
            out.vectors[i + 1] *= sy
        }
        return out
    }

    /// The mean end-point error `‖self − truth‖₂` over pixels where `truth` is known, ignoring a
    /// `margin`-pixel border (where flow near the image edge is ill-posed) and, when given, pixels
    /// whose `mask` entry is false (`mask` is `height × width`).
    public func endPointError(to truth: FlowField, margin: Int = 0, mask: [Bool]? = nil) throws(MotionError) -> Double {
        guard truth.width == width, truth.height == height else {
            throw MotionError("end-point error", .sizeMismatch("\(width)x\(height) vs \(truth.width)x\(truth.height)"))
        }
        guard margin >= 0, 2 * margin < min(width, height) else {
            throw MotionError("end-point error", .invalidParameter("margin \(margin) leaves no pixels of \(width)x\(height)"))
        }
        if let mask, mask.count != width * height {
            throw MotionError("end-point error", .sizeMismatch("mask has \(mask.count) entries, not \(width * height)"))
        }
        var sum = 0.0, n = 0
        vectors.withUnsafeBufferPointer { a in
            truth.vectors.withUnsafeBufferPointer { t in
                for y in margin..<(height - margin) {
                    for x in margin..<(width - margin) {
                        let p = y * width + x
                        if let mask, !mask[p] { continue }
                        let (tu, tv) = (t[2 * p], t[2 * p + 1])
                        if Self.isUnknown(u: tu, v: tv) { continue }
                        let du = Double(a[2 * p] - tu), dv = Double(a[2 * p + 1] - tv)
                        sum += (du * du + dv * dv).squareRoot()
                        n += 1
                    }
                }
            }
        }
        guard n > 0 else { throw MotionError("end-point error", .invalidParameter("no pixel with known ground truth")) }
        return sum / Double(n)
    }
}
