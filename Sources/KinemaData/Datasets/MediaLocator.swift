import Foundation

/// Finds the video (or frame folder) an annotation row means, tolerating the differences between
/// how lists name videos and how copies of a dataset lie on disk:
/// - letter case of folder and file names (UCF101's `HandstandPushups` class holds
///   `v_HandStandPushups_*` files, and some copies rename the folder to match);
/// - a frame folder named after the video without its extension (`v_X_g01_c01/` for
///   `v_X_g01_c01.avi`), or the same video with another container (`.mp4` for `.webm`).
///
/// Exact paths cost one `stat`; a folder is listed (once, cached) only when an exact lookup fails.
final class MediaLocator {
    static let videoExtensions = ["mp4", "avi", "webm", "mkv", "mov", "m4v", "mpg", "mpeg", "ogv"]

    /// Lower-cased name → real name, per folder listed so far.
    private var listings: [String: [String: String]] = [:]

    /// The video or frame folder at `relative` (a `/`-separated path, with or without a video
    /// extension) under `root`, or nil when nothing matches.
    func locate(_ relative: String, under root: URL) -> (url: URL, isFrameFolder: Bool)? {
        if relative.hasPrefix("/") {
            return locate(String(relative.drop { $0 == "/" }), under: URL(fileURLWithPath: "/"))
        }
        for candidate in candidates(relative) {
            if let found = resolve(candidate, under: root) { return found }
        }
        return nil
    }

    /// The path as written, then its stem as a frame folder, then the stem with other containers.
    private func candidates(_ relative: String) -> [String] {
        let ext = (relative as NSString).pathExtension.lowercased()
        guard Self.videoExtensions.contains(ext) else {
            return [relative] + Self.videoExtensions.map { "\(relative).\($0)" }
        }
        let stem = (relative as NSString).deletingPathExtension
        return [relative, stem] + Self.videoExtensions.filter { $0 != ext }.map { "\(stem).\($0)" }
    }

    /// `relative` under `root`, component by component, falling back to a case-insensitive match.
    private func resolve(_ relative: String, under root: URL) -> (url: URL, isFrameFolder: Bool)? {
        var isFolder: ObjCBool = false
        let direct = root.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: direct.path, isDirectory: &isFolder) {
            return (direct, isFolder.boolValue)
        }
        var url = root
        for component in relative.split(separator: "/") where component != "." {
            let exact = url.appendingPathComponent(String(component))
            if FileManager.default.fileExists(atPath: exact.path) {
                url = exact
            } else if let name = listing(of: url)[component.lowercased()] {
                url = url.appendingPathComponent(name)
            } else {
                return nil
            }
        }
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return nil }
        return (url, isFolder.boolValue)
    }

    private func listing(of folder: URL) -> [String: String] {
        if let cached = listings[folder.path] { return cached }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let listing = Dictionary(names.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        listings[folder.path] = listing
        return listing
    }
}
