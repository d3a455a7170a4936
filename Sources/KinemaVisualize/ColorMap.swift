/// Colour maps for heat maps: a value in [0, 1] becomes an RGB colour, blue (low) to red (high),
/// as in the Grad-CAM paper and MoSI Fig. 4 ("red and blue areas denote highly and less activated
/// areas").
public enum ColorMap: String, Sendable, CaseIterable, Codable {
    /// MATLAB's jet, piecewise linear: dark blue (0, 0, 128) → blue → cyan → yellow → red → dark
    /// red (128, 0, 0). Matches OpenCV's `COLORMAP_JET` to within one level.
    case jet
    /// Google's Turbo (Mikhailov 2019), a perceptually smoother rainbow: (48, 18, 59) → … →
    /// (122, 4, 3); linear between 17 key colours, within 7 levels of OpenCV's `COLORMAP_TURBO`.
    case turbo

    /// The colour of `value`, clamped to [0, 1] (NaN counts as 0).
    public func color(_ value: Float) -> (r: UInt8, g: UInt8, b: UInt8) {
        let x = value.isNaN ? 0 : min(max(value, 0), 1)
        switch self {
        case .jet:
            // Each channel is a trapezoid of slope 4 (MATLAB's jet), peaking at 3/4, 1/2, 1/4.
            func ramp(_ centre: Float) -> UInt8 { level(1.5 - abs(4 * x - 4 * centre)) }
            return (ramp(0.75), ramp(0.5), ramp(0.25))
        case .turbo:
            let position = x * Float(Self.turboKeys.count - 1)
            let i = min(Int(position), Self.turboKeys.count - 2)
            let t = position - Float(i)
            let (a, b) = (Self.turboKeys[i], Self.turboKeys[i + 1])
            func mix(_ p: UInt8, _ q: UInt8) -> UInt8 { level(((1 - t) * Float(p) + t * Float(q)) / 255) }
            return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
        }
    }

    /// The 256 colours of the 8-bit levels `0 ... 255` (`table[i] = color(i / 255)`), for mapping
    /// whole images quickly.
    public var table: [(r: UInt8, g: UInt8, b: UInt8)] { (0...255).map { color(Float($0) / 255) } }

    /// Turbo at `k / 16`, k = 0 … 16: entries `round(k · 255 / 16)` of the published 256-entry table,
    /// as OpenCV 4.6's COLORMAP_TURBO renders it.
    private static let turboKeys: [(UInt8, UInt8, UInt8)] = [
        (48, 18, 59), (64, 64, 162), (70, 107, 227), (66, 148, 255), (40, 188, 235), (24, 221, 194),
        (50, 242, 152), (109, 254, 98), (164, 252, 60), (203, 237, 52), (236, 209, 58), (253, 174, 53),
        (251, 129, 34), (236, 83, 15), (210, 49, 5), (172, 23, 1), (122, 4, 3),
    ]
}

/// A fraction in [0, 1] (clamped) as a byte, rounded to nearest.
private func level(_ fraction: Float) -> UInt8 { UInt8((min(max(fraction, 0), 1) * 255).rounded()) }
