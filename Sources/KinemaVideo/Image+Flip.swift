extension Image {
    /// The mirror image (left and right swapped).
    public func flippedHorizontally() -> Image {
        var out = pixels
        let c = channels
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for row in 0..<height {
                    let base = row * width * c
                    for col in 0..<width {
                        let from = base + (width - 1 - col) * c
                        for k in 0..<c { target[base + col * c + k] = source[from + k] }
                    }
                }
            }
        }
        return Image(width: width, height: height, format: format, pixels: out)
    }
}
