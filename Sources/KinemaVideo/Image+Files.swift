internal import CKinemaCV
import Foundation
import KinemaFiles

/// Encoded image file formats Kinema writes.
public enum ImageFileFormat: Sendable, Equatable {
    /// Lossless; `compression` 0 (fastest) … 9 (smallest).
    case png(compression: Int = 3)
    /// Lossy; `quality` 1 … 100.
    case jpeg(quality: Int = 95)
    case bmp
    /// `quality` 1 … 100 (lossy); above 100 is lossless.
    case webp(quality: Int = 95)

    /// The format for a file extension (png, jpg/jpeg, bmp, webp), case-insensitive.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "png": self = .png()
        case "jpg", "jpeg": self = .jpeg()
        case "bmp": self = .bmp
        case "webp": self = .webp()
        default: return nil
        }
    }

    var shimExtension: String {
        switch self {
        case .png: ".png"
        case .jpeg: ".jpg"
        case .bmp: ".bmp"
        case .webp: ".webp"
        }
    }

    var shimQuality: Int32 {
        switch self {
        case .png(let c): Int32(c)
        case .jpeg(let q), .webp(let q): Int32(q)
        case .bmp: -1
        }
    }
}

extension Image {
    /// Reads an image file (PNG, JPEG, BMP, WebP, PGM/PPM, TIFF — whatever OpenCV's imgcodecs
    /// decodes) and converts it explicitly to `format`: gray sources are replicated to RGB, alpha is
    /// dropped for `.rgb`/`.gray` (or kept, 255 when absent, for `.rgba`), 16-bit samples are scaled
    /// by 255/65535. EXIF orientation is not applied.
    public init(contentsOf url: URL, format: PixelFormat = .rgb) throws(VideoError) {
        if let problem = VideoError.checkReadableFile(url) { throw problem }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw VideoError(url, .unreadable(error.localizedDescription)) }
        try self.init(encoded: data, format: format, name: url)
    }

    /// Decodes an encoded image held in memory; `name` is only used in errors.
    public init(encoded data: Data, format: PixelFormat = .rgb, name: URL) throws(VideoError) {
        guard !data.isEmpty else { throw VideoError(name, .corrupt("the file is empty")) }
        do {
            let decoded = data.withUnsafeBytes { raw in
                Result { () throws(CVFailure) -> CVMat in
                    var source = kcv_image_info()
                    let bytes = raw.bindMemory(to: UInt8.self).baseAddress!
                    return try cvMat { kcv_image_decode(bytes, raw.count, Int32(format.channels), $0, &source) }
                }
            }
            let mat = try decoded.get()
            self.init(mat)
        } catch { throw VideoError(name, error) }
    }

    /// The file bytes of this image in `format`.
    public func encoded(as format: ImageFileFormat) throws(VideoError) -> Data {
        do {
            let mat = try withCVView { view throws(CVFailure) in
                try cvMat { kcv_image_encode(view, format.shimExtension, format.shimQuality, $0) }
            }
            return Data(mat.bytes())
        } catch { throw VideoError(path: "<\(format.shimExtension) encoder>", reason: .unsupported(error.message)) }
    }

    /// Writes the image atomically (a temporary file renamed into place); the format comes from the
    /// file extension unless given.
    public func write(to url: URL, format: ImageFileFormat? = nil) throws(VideoError) {
        guard let format = format ?? ImageFileFormat(fileExtension: url.pathExtension) else {
            throw VideoError(url, .unsupported("unknown image extension '.\(url.pathExtension)' (use png, jpg, bmp or webp)"))
        }
        let bytes = try encoded(as: format)
        do { try AtomicFile.write(bytes, to: url) } catch {
            throw VideoError(url, .writeFailed(error.cause))
        }
    }

    /// Runs `body` with a borrowed shim view of the pixels.
    func withCVView<R, E: Error>(_ body: (kcv_view) throws(E) -> R) throws(E) -> R {
        // Array.withUnsafeBytes is `rethrows` (untyped); a Result carries the typed error through.
        let result = pixels.withUnsafeBytes { raw in
            Result { () throws(E) -> R in
                try body(kcv_view(data: raw.baseAddress, width: Int32(width), height: Int32(height),
                                  channels: Int32(channels), depth: Int32(KCV_U8.rawValue)))
            }
        }
        return try result.get()
    }
}
