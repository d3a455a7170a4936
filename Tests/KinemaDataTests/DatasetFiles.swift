import Foundation
import KinemaMediaTestSupport

/// Writes annotation files and stand-in videos (empty files: the parsers only look for them) into
/// a temporary folder.
struct DatasetFiles {
    let folder = TemporaryFolder()

    var root: URL { folder.url }

    func url(_ relative: String) -> URL { folder.url.appendingPathComponent(relative) }

    /// A text file at `relative` (folders created as needed).
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        let file = url(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Empty stand-ins for videos.
    func touch(_ relatives: String...) throws {
        for relative in relatives { try write(relative, "") }
    }

    /// A frame folder with one (empty) frame file.
    func frameFolder(_ relative: String) throws {
        try write("\(relative)/img_00001.jpg", "")
    }

    /// The item paths relative to the root, for compact expectations.
    func relativePaths(_ urls: [URL]) -> [String] {
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path + "/"
        return urls.map { url in
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
        }
    }
}
