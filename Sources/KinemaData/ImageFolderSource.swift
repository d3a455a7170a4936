import Foundation
import KinemaVideo

/// Every JPEG/PNG image under a folder (sub-folders included), in natural path order
/// ("img2" before "img10"); hidden files and folders are skipped.
public struct ImageFolderSource: StillImageSource {
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    public let folder: URL
    /// The images, in item order.
    public let files: [URL]

    /// Throws `.missing` when the folder does not exist and `.noFrames` when it holds no image.
    public init(_ folder: URL) throws(VideoError) {
        self.folder = folder
        files = try MediaFiles.list(in: folder, extensions: Self.imageExtensions, kind: "jpg/jpeg/png images")
    }

    public var count: Int { files.count }

    public func image<G: RandomNumberGenerator>(at index: Int, using generator: inout G) throws(VideoError) -> Image {
        try checkIndex(index, name: folder.path)
        return try Image(contentsOf: files[index], format: .rgb)
    }
}

/// Lists media files under a folder, recursively (hidden files left out).
enum MediaFiles {
    static func list(in folder: URL, extensions: Set<String>, kind: String) throws(VideoError) -> [URL] {
        try listRelative(in: folder, extensions: extensions, kind: kind).map(\.url)
    }

    /// The files with their paths relative to `folder`, in natural order of those paths.
    static func listRelative(in folder: URL, extensions: Set<String>, kind: String) throws(VideoError)
        -> [(relative: String, url: URL)]
    {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else { throw VideoError(folder, .missing) }
        guard isFolder.boolValue else { throw VideoError(folder, .unreadable("it is a file, not a folder")) }
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw VideoError(folder, .unreadable("the folder cannot be listed")) }
        var found: [(relative: String, url: URL)] = []
        let root = folder.standardizedFileURL.path
        for case let url as URL in walker where extensions.contains(url.pathExtension.lowercased()) {
            let path = url.standardizedFileURL.path
            found.append((path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path, url))
        }
        guard !found.isEmpty else { throw VideoError(folder, .noFrames("the folder holds no \(kind)")) }
        return found.sorted { $0.relative.compare($1.relative, options: [.numeric, .caseInsensitive]) == .orderedAscending }
    }
}
