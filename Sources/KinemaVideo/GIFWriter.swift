import Foundation

/// Writes an animated GIF (GIF89a), frame by frame, for previews (OpenCV has no GIF encoder).
///
/// Each frame gets its own adaptive 256-colour palette (median cut), so memory stays bounded and
/// long previews stream to disk. The file is written to a temporary name and moved into place by
/// ``finish()``.
public final class GIFWriter {
    public let url: URL
    public let width: Int
    public let height: Int
    /// Delay between frames in hundredths of a second (the GIF time unit).
    public let delay: Int
    public private(set) var frameCount = 0
    private let temporary: URL
    private var file: FileHandle?

    /// - Parameters:
    ///   - fps: frame rate; GIF stores delays in 1/100 s, so it is rounded to `100 / delay`.
    ///   - loops: 0 = loop forever.
    public init(url: URL, width: Int, height: Int, fps: Double, loops: Int = 0) throws(VideoError) {
        guard width > 0, height > 0, width <= 65_535, height <= 65_535, fps > 0, fps.isFinite, (0...65_535).contains(loops) else {
            throw VideoError(url, .invalidArgument("GIF size \(width)x\(height) (1…65535), fps \(fps) > 0 and loops 0…65535 needed"))
        }
        (self.url, self.width, self.height) = (url, width, height)
        delay = max(1, Int((100 / fps).rounded()))
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary.path)
        else { throw VideoError(url, .writeFailed("cannot create a file in \(url.deletingLastPathComponent().path)")) }
        file = handle
        var header = Array("GIF89a".utf8)
        header += le16(width) + le16(height)
        header += [0x70, 0, 0]  // no global colour table (each frame has its own), 8-bit colour resolution
        // NETSCAPE2.0 application extension: the loop count.
        header += [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8) + [3, 1] + le16(loops) + [0]
        try append(header)
    }

    deinit {
        try? file?.close()
        try? FileManager.default.removeItem(at: temporary)
    }

    /// Appends one frame (converted to RGB if needed) of the writer's size.
    public func write(_ frame: Image) throws(VideoError) {
        guard file != nil else { throw VideoError(url, .writeFailed("the writer is already finished")) }
        guard frame.width == width, frame.height == height else {
            throw VideoError(url, .invalidArgument("frame is \(frame.width)x\(frame.height), the GIF is \(width)x\(height)"))
        }
        let rgb = try frame.converted(to: .rgb)
        let palette = MedianCutPalette(rgb)
        let indices = try palette.indices(for: rgb)
        // Colour table sizes are powers of two from 2 to 256: 2^(sizeField + 1).
        let sizeField = (0...7).first { (1 << ($0 + 1)) >= palette.colors.count }!
        var block: [UInt8] = []
        // Graphic control extension: no disposal, the frame delay, no transparency.
        block += [0x21, 0xF9, 4, 0x04] + le16(delay) + [0, 0]
        // Image descriptor with a local colour table.
        block += [0x2C] + le16(0) + le16(0) + le16(width) + le16(height) + [UInt8(0x80 | sizeField)]
        for c in palette.colors { block += [c.0, c.1, c.2] }
        block += [UInt8](repeating: 0, count: 3 * ((1 << (sizeField + 1)) - palette.colors.count))
        let minimumCodeSize = max(2, sizeField + 1)
        block.append(UInt8(minimumCodeSize))
        let data = GIFLZW.compress(indices, minimumCodeSize: minimumCodeSize)
        // Data sub-blocks of at most 255 bytes, then a zero-length terminator.
        var offset = 0
        while offset < data.count {
            let n = min(255, data.count - offset)
            block.append(UInt8(n))
            block += data[offset..<(offset + n)]
            offset += n
        }
        block.append(0)
        try append(block)
        frameCount += 1
    }

    /// Writes the trailer and moves the file into place.
    public func finish() throws(VideoError) {
        guard file != nil else { return }
        guard frameCount > 0 else { throw VideoError(url, .invalidArgument("a GIF needs at least one frame")) }
        try append([0x3B])
        do {
            try file?.close()
            file = nil
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch { throw VideoError(url, .writeFailed(error.localizedDescription)) }
    }

    private func append(_ bytes: [UInt8]) throws(VideoError) {
        do { try file?.write(contentsOf: Data(bytes)) } catch { throw VideoError(url, .writeFailed(error.localizedDescription)) }
    }

    private func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
}
