import Foundation
import KinemaVideo
import Testing

/// Third-party test data fetched by `Tools/data/fetch.sh` into `.deps/data` (never committed), and
/// small media helpers shared by the video and motion tests.
public enum TestData {
    /// The checkout's root.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where Tools/data/fetch.sh puts the data (override with KINEMA_TEST_DATA).
    public static let root: URL = {
        if let custom = ProcessInfo.processInfo.environment["KINEMA_TEST_DATA"] { return URL(fileURLWithPath: custom) }
        return repository.appendingPathComponent(".deps/data")
    }()

    public enum Missing: Error, CustomStringConvertible {
        case file(String)

        public var description: String {
            switch self {
            case .file(let relative):
                "missing test data \(root.appendingPathComponent(relative).path); run `make testdata` (Tools/data/fetch.sh)"
            }
        }
    }

    /// A fetched file, e.g. `url("photos/astronaut.png")`; records an issue naming the fetch
    /// command when it is absent.
    public static func url(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let url = root.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let missing = Missing.file(relative)
            Issue.record("\(missing)", sourceLocation: sourceLocation)
            throw missing
        }
        return url
    }

    /// A fetched photo as an image, optionally resized to a smaller working size.
    public static func photo(_ name: String, format: PixelFormat = .rgb, width: Int? = nil, height: Int? = nil,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> Image {
        let image = try Image(contentsOf: url("photos/\(name).png", sourceLocation: sourceLocation), format: format)
        guard let width, let height else { return image }
        return try image.resized(width: width, height: height)
    }
}

/// A fresh temporary folder, removed when the returned guard is released.
public final class TemporaryFolder {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Known camera motions as homographies (3 × 3, row-major) about the image centre: a way to make a
/// real photo move by an exact amount.
public enum KnownMotion {
    /// Pure translation by (dx, dy).
    public static func translation(_ dx: Double, _ dy: Double) -> [Double] { [1, 0, dx, 0, 1, dy, 0, 0, 1] }

    /// Rotation by `degrees` and scaling by `scale` about (cx, cy), then a translation.
    public static func similarity(degrees: Double, scale: Double, cx: Double, cy: Double, dx: Double = 0, dy: Double = 0) -> [Double] {
        let a = degrees * .pi / 180
        let (c, s) = (scale * cos(a), scale * sin(a))
        return [c, -s, cx - c * cx + s * cy + dx, s, c, cy - s * cx - c * cy + dy, 0, 0, 1]
    }

    /// The homography `a · b` (b first, then a).
    public static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { out[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j] } } }
        return out
    }

    /// Where a homography sends (x, y).
    public static func apply(_ h: [Double], _ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let w = h[6] * x + h[7] * y + h[8]
        return ((h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w)
    }
}

/// A deterministic pseudo-random generator for reproducible synthetic data (SplitMix64).
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
