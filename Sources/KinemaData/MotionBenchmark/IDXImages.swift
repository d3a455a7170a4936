import Foundation
import KinemaVideo

/// The images of an uncompressed IDX file (the MNIST / Fashion-MNIST format, LeCun et al.): a
/// big-endian header `00 00 08 03`, the count, rows and columns as UInt32, then count × rows ×
/// columns unsigned bytes, row-major.
public struct IDXImages: Sendable {
    public let count: Int
    public let rows: Int
    public let columns: Int
    /// `[count][rows][columns]` bytes.
    public let bytes: [UInt8]

    /// Reads `url`; throws when it is missing, not an IDX image file, or shorter than its header says.
    public init(contentsOf url: URL) throws(MotionBenchmarkError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw MotionBenchmarkError("cannot read \(url.path): \(error.localizedDescription)") }
        let header = [UInt8](data.prefix(16))
        guard header.count == 16, header[0] == 0, header[1] == 0, header[2] == 0x08, header[3] == 3 else {
            throw MotionBenchmarkError("\(url.path) is not an uncompressed IDX file of unsigned-byte images (magic 00 00 08 03)")
        }
        func field(_ i: Int) -> Int { header[(4 * i)..<(4 * i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        (count, rows, columns) = (field(1), field(2), field(3))
        // Three 32-bit claims: their product may overflow Int, and then it matches no file.
        let (pixels, overflow) = [rows, columns].reduce((count, false)) { acc, n in
            let r = acc.0.multipliedReportingOverflow(by: n)
            return (r.partialValue, acc.1 || r.overflow)
        }
        guard rows > 0, columns > 0, !overflow, data.count - 16 == pixels else {
            throw MotionBenchmarkError(
                "\(url.path) declares \(count) images of \(rows)x\(columns) but holds \(data.count - 16) bytes of pixels")
        }
        bytes = [UInt8](data.dropFirst(16))
    }

    /// Image `index` as a gray image.
    public func image(_ index: Int) -> Image {
        precondition(index >= 0 && index < count, "IDX image \(index) is outside 0..<\(count)")
        let size = rows * columns
        return Image(width: columns, height: rows, format: .gray, pixels: Array(bytes[(index * size)..<((index + 1) * size)]))
    }
}
