import Foundation

extension VideoDataset {
    /// A folder per class: `<root>/<class>/<video>` (video files, or frame folders
    /// `<root>/<class>/<video>/`), classes numbered in sorted order of their folder names (as
    /// torchvision's `DatasetFolder`). Hidden entries and other files are ignored; a class folder
    /// without videos keeps its label and is reported.
    public static func classFolders(_ root: URL) throws(DatasetError) -> VideoDataset {
        let classNames = try subfolders(of: root).sorted()
        guard !classNames.isEmpty else { throw DatasetError(root.path, "holds no class folder") }
        var builder = DatasetBuilder(source: "class folders \(root.path)", root: root)
        let videoExtensions = Set(MediaLocator.videoExtensions)
        for (label, name) in classNames.enumerated() {
            let folder = root.appendingPathComponent(name)
            let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { !$0.hasPrefix(".") }
                .sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
            var found = 0
            for entry in entries {
                if isFolder(folder.appendingPathComponent(entry))
                    || videoExtensions.contains((entry as NSString).pathExtension.lowercased())
                {
                    builder.add(["\(name)/\(entry)"], label: label, file: folder, line: nil)
                    found += 1
                }
            }
            if found == 0 {
                builder.report(.emptyClass, "class folder \(name) holds no video", file: folder, line: nil)
            }
        }
        return try builder.dataset(classNames: classNames)
    }

    private static func subfolders(of root: URL) throws(DatasetError) -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: root.path) } catch {
            throw DatasetError(
                root.path, FileManager.default.fileExists(atPath: root.path) ? "cannot be listed" : "no such folder")
        }
        return names.filter { !$0.hasPrefix(".") && isFolder(root.appendingPathComponent($0)) }
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
