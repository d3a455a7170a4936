import KinemaMotion
import KinemaVideo

/// A scalar map over an image's pixels with values in [0, 1] (a Grad-CAM frame, an optical-flow
/// magnitude), ready to be coloured or laid over a frame. A plain value.
public struct HeatMap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `[height][width]`, row-major, in [0, 1].
    public let values: [Float]

    /// A map over existing values, which must number `width × height`; they are clamped to [0, 1]
    /// (NaN becomes 0).
    public init(width: Int, height: Int, values: [Float]) throws(VisualizeError) {
        guard width > 0, height > 0, values.count == width * height else {
            throw .invalid("a \(width)x\(height) heat map needs \(max(0, width * height)) values, got \(values.count)")
        }
        self.width = width
        self.height = height
        self.values = values.map { $0.isNaN ? 0 : min(max($0, 0), 1) }
    }

    /// The optical-flow magnitude `√(u² + v²)` (MoSI Fig. 4's comparison), divided by its largest
    /// value in the field (a still field maps to zeros; unknown vectors count as still).
    public init(flowMagnitudeOf flow: FlowField) {
        var magnitudes = [Float](repeating: 0, count: flow.width * flow.height)
        for i in magnitudes.indices {
            let (u, v) = (flow.vectors[2 * i], flow.vectors[2 * i + 1])
            if !FlowField.isUnknown(u: u, v: v) { magnitudes[i] = (u * u + v * v).squareRoot() }
        }
        let peak = magnitudes.max() ?? 0
        width = flow.width
        height = flow.height
        values = peak > 0 ? magnitudes.map { $0 / peak } : magnitudes
    }

    /// The map rendered in `colorMap`, as an RGB image of the map's size.
    public func colorized(_ colorMap: ColorMap = .jet) -> Image {
        Image(width: width, height: height, format: .rgb, pixels: blended(over: nil, colorMap, alpha: 1))
    }

    /// `(1 − alpha) · base + alpha · colour` per RGB byte, rounded (`base` nil: the colours alone).
    /// One pass over plain buffers: this runs on every pixel of every frame of a video.
    func blended(over base: [UInt8]?, _ colorMap: ColorMap, alpha: Float) -> [UInt8] {
        let table = colorMap.table
        var out = [UInt8](repeating: 0, count: values.count * 3)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<v.count {
                    let c = table[Int((v[i] * 255).rounded())]
                    (o[3 * i], o[3 * i + 1], o[3 * i + 2]) = (c.r, c.g, c.b)
                }
                guard let base else { return }
                base.withUnsafeBufferPointer { b in
                    for i in 0..<o.count { o[i] = UInt8(((1 - alpha) * Float(b[i]) + alpha * Float(o[i])).rounded()) }
                }
            }
        }
        return out
    }
}

extension Image {
    /// This image (as RGB) with `heatMap` coloured by `colorMap` laid over it:
    /// `out = (1 − alpha) · image + alpha · colour`, per channel, rounded. The map must have the
    /// image's size; `alpha` is in [0, 1] (0 keeps the image, 1 shows only the colours).
    public func overlaid(with heatMap: HeatMap, colorMap: ColorMap = .jet, alpha: Float = 0.5) throws(VisualizeError)
        -> Image
    {
        guard heatMap.width == width, heatMap.height == height else {
            throw .invalid("the heat map is \(heatMap.width)x\(heatMap.height), the image \(width)x\(height)")
        }
        guard (0...1).contains(alpha) else { throw .invalid("overlay alpha \(alpha) must be in [0, 1]") }
        let rgb: Image
        do { rgb = try converted(to: .rgb) } catch { throw VisualizeError(.video(error)) }
        let pixels = heatMap.blended(over: rgb.pixels, colorMap, alpha: alpha)
        return Image(width: width, height: height, format: .rgb, pixels: pixels)
    }
}
