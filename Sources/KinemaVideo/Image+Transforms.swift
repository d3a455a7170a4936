internal import CKinemaCV

extension Image {
    /// The image scaled to `width × height`: area averaging when shrinking (no aliasing), bilinear
    /// when enlarging.
    public func resized(width: Int, height: Int) throws(VideoError) -> Image {
        guard width > 0, height > 0 else {
            throw VideoError(path: "<image>", reason: .invalidArgument("resize target \(width)x\(height) must be positive"))
        }
        if width == self.width && height == self.height { return self }
        return try Image(shim("resize") { v, out in kcv_image_resize(v, Int32(width), Int32(height), out) })
    }

    /// The image scaled so that its shorter side is `shortSide` (aspect ratio kept, sides rounded).
    public func resized(shortSide: Int) throws(VideoError) -> Image {
        let size = try FrameSize.shortSide(shortSide).resolve(width: width, height: height)
        return try resized(width: size.width, height: size.height)
    }

    /// The `width × height` region whose top-left pixel is (x, y).
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) throws(VideoError) -> Image {
        guard x >= 0, y >= 0, w > 0, h > 0, x + w <= width, y + h <= height else {
            throw VideoError(path: "<image>", reason: .invalidArgument("crop \(w)x\(h) at (\(x), \(y)) is not inside \(width)x\(height)"))
        }
        var out: [UInt8] = []
        out.reserveCapacity(w * h * channels)
        for row in y..<(y + h) { out += pixels[((row * width + x) * channels)..<((row * width + x + w) * channels)] }
        return Image(width: w, height: h, format: format, pixels: out)
    }

    /// The image in another pixel format (ITU-R 601 luma for gray; alpha 255 when added, dropped when removed).
    /// Throws only when OpenCV fails (out of memory).
    public func converted(to format: PixelFormat) throws(VideoError) -> Image {
        if format == self.format { return self }
        return try Image(shim("convert") { v, out in kcv_image_convert(v, Int32(format.channels), out) })
    }

    /// The image warped by a 3×3 homography `h` (row-major, maps this image's pixel coordinates to
    /// the output's), bilinear, into a `width × height` canvas. Output pixels that come from outside
    /// this image are taken from `fill` when given (it must have the output's size and this image's
    /// format), else black. `inverse: true` reads `h` as output → input.
    public func warpedPerspective(
        by h: [Double], inverse: Bool = false, width: Int? = nil, height: Int? = nil, fill: Image? = nil
    ) throws(VideoError) -> Image {
        guard h.count == 9, h.allSatisfy(\.isFinite) else {
            throw VideoError(path: "<image>", reason: .invalidArgument("a homography needs 9 finite values"))
        }
        let w = width ?? self.width, ht = height ?? self.height
        if let fill, fill.width != w || fill.height != ht || fill.format != format {
            throw VideoError(path: "<image>", reason: .invalidArgument("fill must be \(w)x\(ht) \(format)"))
        }
        return try Image(shim("warp") { v, out in
            h.withUnsafeBufferPointer { hp in
                if let fill {
                    return fill.withCVView { fv in kcv_image_warp_perspective(v, hp.baseAddress, inverse, Int32(w), Int32(ht), fv, out) }
                }
                return kcv_image_warp_perspective(v, hp.baseAddress, inverse, Int32(w), Int32(ht), kcv_view(), out)
            }
        })
    }

    /// Runs a shim transform whose arguments were validated here, so a failure is OpenCV's (memory
    /// exhaustion, or a defect): thrown with the shim's message.
    func shim(_ op: String, _ call: (kcv_view, UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws(VideoError) -> CVMat {
        do {
            return try withCVView { v throws(CVFailure) in try cvMat { call(v, $0) } }
        } catch {
            throw VideoError(image: "image \(op) of a \(width)x\(height) \(format) image", error)
        }
    }
}
