import Foundation
import KinemaVideo
import Testing

/// CRC-32 (ISO-HDLC, PNG's chunk checksum), so a patched chunk is still a well-formed one.
private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

private func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

@Suite struct ImageInputTests {
    @Test func imageFiles() throws {
        let scratch = Scratch(), matrix = Matrix("images")
        let picture = Image(width: 16, height: 12, format: .rgb, pixels: (0..<(16 * 12 * 3)).map { UInt8($0 % 251) })
        let png = try scratch.file("base.png"), jpeg = try scratch.file("base.jpg")
        try picture.write(to: png)
        try picture.write(to: jpeg)
        let (pngBytes, jpegBytes) = (try Data(contentsOf: png), try Data(contentsOf: jpeg))

        let missing = try scratch.file("missing.png")
        matrix.rejects("missing file", "Image(contentsOf:)", file: missing) { _ = try Image(contentsOf: missing) }
        let empty = try scratch.file("empty.png", Data())
        matrix.rejects("empty file (0 bytes)", "Image(contentsOf:)", file: empty) { _ = try Image(contentsOf: empty) }
        let noise = try scratch.file("garbage.jpg", garbage(2048))
        matrix.rejects("2 KB of random bytes named .jpg", "Image(contentsOf:)", file: noise) { _ = try Image(contentsOf: noise) }
        for (name, bytes, fraction) in [("PNG", pngBytes, 2), ("JPEG", jpegBytes, 2)] {
            let cut = try scratch.file("truncated.\(name.lowercased())", bytes.prefix(bytes.count / fraction))
            matrix.rejects("\(name) truncated at half", "Image(contentsOf:)", file: cut) { _ = try Image(contentsOf: cut) }
        }
        // A flipped byte inside the PNG's image data: its chunk checksum no longer matches.
        var flipped = [UInt8](pngBytes)
        flipped[flipped.count - 20] ^= 0xFF
        let corrupt = try scratch.file("corrupt.png", Data(flipped))
        matrix.rejects("PNG with a flipped byte in its image data", "Image(contentsOf:)", file: corrupt) { _ = try Image(contentsOf: corrupt) }
        // JPEG scan data overwritten with noise after the headers.
        var scrambled = [UInt8](jpegBytes)
        let scan = scrambled.count / 2
        scrambled.replaceSubrange(scan..<(scrambled.count - 2), with: [UInt8](garbage(scrambled.count - 2 - scan)))
        let broken = try scratch.file("corrupt.jpg", Data(scrambled))
        matrix.rejectsOrWarns("JPEG with noise in its scan data", "Image(contentsOf:)", file: broken, mentioning: "corrupt.jpg") {
            let image = try Image(contentsOf: broken)
            return image.width == 16 ? nil : "decoded at \(image.width)×\(image.height)"
        }
        // An allocation bomb: the header claims 65535 × 65535 pixels (12 GB of RGB), checksum fixed up.
        var bomb = [UInt8](pngBytes)
        bomb.replaceSubrange(16..<24, with: bigEndian(65535) + bigEndian(65535))
        bomb.replaceSubrange(29..<33, with: bigEndian(crc32(bomb[12..<29])))
        let huge = try scratch.file("bomb.png", Data(bomb))
        matrix.rejects("PNG header claiming 65535 × 65535 pixels", "Image(contentsOf:)", file: huge) { _ = try Image(contentsOf: huge) }
        let misnamed = try scratch.file("really-a-png.jpg", pngBytes)
        matrix.accepts("a PNG named .jpg", "Image(contentsOf:)") {
            let image = try Image(contentsOf: misnamed)
            return "decoded by its contents: \(image.width)×\(image.height)"
        }

        for (name, file) in [
            ("16-bit grayscale PNG", "gray16.png"), ("8-bit grayscale PNG", "gray.png"), ("RGBA PNG (alpha 128)", "rgba.png"),
            ("palette PNG (8 colours)", "palette.png"), ("CMYK JPEG", "cmyk.jpg"), ("1×1 PNG", "pixel.png"),
        ] {
            matrix.accepts(name, "Image(contentsOf:)") {
                let image = try Image(contentsOf: badMedia(file))
                #expect(image.format == .rgb && image.pixels.count == image.width * image.height * 3)
                return "\(image.width)×\(image.height), converted to 8-bit RGB"
            }
        }
        try matrix.publish(folder: scratch.url)
    }
}
