import Foundation
import KinemaVideo

/// HOG drawn as glyphs (Dalal & Triggs Fig. 6, skimage's `hog(visualize=True)`, MaskFeat's
/// pictures): one star per cell, a stroke through the cell's centre per orientation bin, along the
/// *edge* the bin's gradients describe (perpendicular to the gradient), as bright as the bin's
/// share of the largest bin shown.
public enum HOGGlyphs {
    /// Draws the `bins`-bin unsigned histograms `histograms[n]` (bin b: gradients at b·180°/bins,
    /// y down, as ``IntegralHistogram`` bins them) as stars of radius `radius` centred at
    /// `centres[n]`, brightness relative to `peak` (nil: the largest value drawn).
    public static func draw(
        _ histograms: [[Float]], at centres: [(x: Float, y: Float)], radius: Float, on image: inout Image,
        color: (r: UInt8, g: UInt8, b: UInt8) = (255, 255, 255), peak: Float? = nil
    ) throws(VisualizeError) {
        guard histograms.count == centres.count else {
            throw .invalid("\(histograms.count) histograms for \(centres.count) glyph centres")
        }
        let top = peak ?? histograms.joined().max() ?? 0
        guard top > 0 else { return }
        for (histogram, centre) in zip(histograms, centres) {
            for (b, value) in histogram.enumerated() where value > 0 {
                let edge = Float.pi * Float(b) / Float(histogram.count) + Float.pi / 2
                let (dx, dy) = (radius * cos(edge), radius * sin(edge))
                try image.blendLine(
                    from: (centre.x - dx, centre.y - dy), to: (centre.x + dx, centre.y + dy), color: color, opacity: value / top)
            }
        }
    }
}
