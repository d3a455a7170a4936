import KinemaVideo

extension Image {
    /// Equally sized tiles (converted to RGB) laid out in rows (`rows[r][c]` is row r, column c; a
    /// short row leaves its end blank), `gap` pixels of `background` between tiles and none around.
    public static func mosaic(_ rows: [[Image]], gap: Int = 2, background: [UInt8] = [255, 255, 255])
        throws(VisualizeError) -> Image
    {
        guard let first = rows.first?.first else { throw .invalid("a mosaic needs at least one image") }
        guard gap >= 0, background.count == 3 else { throw .invalid("a mosaic needs gap >= 0 and an RGB background") }
        let (w, h) = (first.width, first.height)
        for tile in rows.joined() where tile.width != w || tile.height != h {
            throw .invalid("mosaic tiles must all be \(w)x\(h), got \(tile.width)x\(tile.height)")
        }
        let columns = rows.map(\.count).max()!
        var canvas = Image(
            width: columns * w + (columns - 1) * gap, height: rows.count * h + (rows.count - 1) * gap, format: .rgb,
            filledWith: background)
        for (r, row) in rows.enumerated() {
            for (c, tile) in row.enumerated() { try canvas.paste(tile, x: c * (w + gap), y: r * (h + gap)) }
        }
        return canvas
    }

    /// This image (as RGB) in the top-left corner of a `width × height` canvas of `background`, at
    /// least as large as the image.
    public func padded(width: Int, height: Int, background: [UInt8] = [255, 255, 255]) throws(VisualizeError) -> Image {
        guard width >= self.width, height >= self.height, background.count == 3 else {
            throw .invalid("cannot pad a \(self.width)x\(self.height) image to \(width)x\(height) with \(background)")
        }
        var canvas = Image(width: width, height: height, format: .rgb, filledWith: background)
        try canvas.paste(self, x: 0, y: 0)
        return canvas
    }

    /// Copies `tile` (as RGB) into this RGB image with its top-left corner at (x, y); the caller
    /// makes sure it fits.
    private mutating func paste(_ tile: Image, x: Int, y: Int) throws(VisualizeError) {
        let rgb: [UInt8]
        do { rgb = try tile.converted(to: .rgb).pixels } catch { throw VisualizeError(.video(error)) }
        let rowBytes = 3 * tile.width
        for row in 0..<tile.height {
            let target = ((y + row) * width + x) * 3
            pixels.replaceSubrange(target..<(target + rowBytes), with: rgb[(rowBytes * row)..<(rowBytes * (row + 1))])
        }
    }
}
