internal import CKinemaCV

extension FlowField {
    /// The default bound of the 8-bit encoding: dense_flow (MME), mmaction and DeepMind's I3D
    /// preprocessing all truncate flow to ±20 px.
    public static let defaultBound: Float = 20

    /// The 8-bit x/y encoding of dense_flow, mmaction and I3D: each component is clipped to
    /// `[−bound, bound]` and mapped linearly to a byte,
    ///
    ///     code = round(255 · (clamp(f, −bound, bound) + bound) / (2 · bound))
    ///
    /// (computed in double precision, ties to even as OpenCV's `cvRound`), so −bound → 0, 0 → 128
    /// (127.5 rounds to even), +bound → 255; one code step is `2 · bound / 255` ≈ 0.157 px for the
    /// default bound. Returns one gray image per component, as stored in `flow_x_*.jpg` / `x.mp4`.
    public func quantized(bound: Float = FlowField.defaultBound) throws(MotionError) -> (x: Image, y: Image) {
        guard bound > 0, bound.isFinite else { throw MotionError("flow quantisation", .invalidParameter("bound \(bound) must be positive")) }
        var x: OpaquePointer?, y: OpaquePointer?
        do {
            try withView { (v) throws(CVFailure) in try cvCheck(kcv_flow_quantize(v, bound, &x, &y)) }
            let (xMat, yMat) = (try CVMat(owning: x), try CVMat(owning: y))
            return (Image(xMat), Image(yMat))
        } catch { throw MotionError("flow quantisation", error) }
    }

    /// Decodes the 8-bit encoding: `f = code · 2 · bound / 255 − bound` (the inverse of
    /// ``quantized(bound:)`` up to its rounding, at most `bound / 255` px). Colour images are read
    /// through their first channel, as decoders of flow JPEGs do.
    public init(quantizedX x: Image, y: Image, bound: Float = FlowField.defaultBound) throws(MotionError) {
        guard x.width == y.width, x.height == y.height else {
            throw MotionError("flow dequantisation", .sizeMismatch("x is \(x.width)x\(x.height), y is \(y.width)x\(y.height)"))
        }
        guard bound > 0, bound.isFinite else { throw MotionError("flow dequantisation", .invalidParameter("bound \(bound) must be positive")) }
        let step = 2 * bound / 255
        var vectors = [Float](repeating: 0, count: x.width * x.height * 2)
        x.pixels.withUnsafeBufferPointer { px in
            y.pixels.withUnsafeBufferPointer { py in
                for i in 0..<(x.width * x.height) {
                    vectors[2 * i] = Float(px[i * x.channels]) * step - bound
                    vectors[2 * i + 1] = Float(py[i * y.channels]) * step - bound
                }
            }
        }
        self.init(width: x.width, height: x.height, vectors: vectors)
    }

    /// The Middlebury colour-wheel rendering (Baker et al., "A Database and Evaluation Methodology
    /// for Optical Flow", IJCV 2011): hue gives the direction, saturation the magnitude relative to
    /// `maxMagnitude` (white = still; vectors longer than it are darkened), unknown vectors black.
    /// `maxMagnitude` nil normalises by the field's own largest vector; pass a fixed value to keep
    /// colours comparable across the frames of a video. Throws only when OpenCV fails (out of memory).
    public func colorized(maxMagnitude: Float? = nil) throws(MotionError) -> Image {
        let radius = maxMagnitude ?? 0
        do {
            return Image(try withView { (v) throws(CVFailure) in try cvMat { kcv_flow_colorize(v, radius, $0) } })
        } catch { throw MotionError("flow colour rendering of a \(width)x\(height) field", error) }
    }
}

extension Image {
    /// This image backward-warped by `flow`: `out(x, y) = self(x + u, y + v)`, bilinear, the border
    /// replicated. Warping the second frame of a pair by the flow from the first aligns it to the first.
    public func warped(by flow: FlowField) throws(MotionError) -> Image {
        guard flow.width == width, flow.height == height else {
            throw MotionError("flow warp", .sizeMismatch("image is \(width)x\(height), flow is \(flow.width)x\(flow.height)"))
        }
        do {
            return Image(try withView { (i) throws(CVFailure) in
                try flow.withView { (f) throws(CVFailure) in try cvMat { kcv_image_remap_by_flow(i, f, $0) } }
            })
        } catch { throw MotionError("flow warp", error) }
    }
}
