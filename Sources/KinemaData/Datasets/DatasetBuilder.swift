import Foundation

/// Collects the items and problems of one annotation file while it is read.
struct DatasetBuilder {
    /// How the dataset is named in errors ("UCF101 split 1 train").
    let source: String
    let root: URL
    private let locator = MediaLocator()
    private(set) var items: [VideoItem] = []
    private(set) var problems: [DatasetProblem] = []

    init(source: String, root: URL) {
        self.source = source
        self.root = root
    }

    /// Adds the first of `paths` (relative to the root, or absolute) that exists, with `label`,
    /// and returns its position in `paths`; records a missing video when none does.
    @discardableResult
    mutating func add(_ paths: [String], label: Int, file: URL, line: Int?) -> Int? {
        for (position, path) in paths.enumerated() {
            if let found = locator.locate(path, under: root) {
                items.append(VideoItem(url: found.url, label: label, isFrameFolder: found.isFrameFolder))
                return position
            }
        }
        var seen: Set<String> = [paths[0]]
        let others = paths.dropFirst().filter { seen.insert($0).inserted }
        let more = others.count > 2 ? " or \(others.count - 2) other layouts" : ""
        let tried = others.isEmpty ? "" : " (nor \(others.prefix(2).joined(separator: ", "))\(more))"
        report(
            .missingVideo, "\(root.appendingPathComponent(paths[0]).path) does not exist\(tried)", file: file,
            line: line)
        return nil
    }

    mutating func report(_ kind: DatasetProblem.Kind, _ message: String, file: URL, line: Int?) {
        problems.append(DatasetProblem(file: file.path, line: line, kind: kind, message: message))
    }

    func dataset(classNames: [String]) throws(DatasetError) -> VideoDataset {
        try VideoDataset(items: items, classNames: classNames, problems: problems, source: source)
    }
}

/// Class names with lookups by exact and by case-insensitive name (UCF101's HandstandPushups /
/// HandStandPushups quirk).
struct ClassIndex {
    let names: [String]
    private let exact: [String: Int]
    private let folded: [String: Int]

    init(_ names: [String]) {
        self.names = names
        exact = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        folded = Dictionary(names.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    func label(of name: String) -> Int? { exact[name] ?? folded[name.lowercased()] }
}

/// Checks an official split number (1, 2 or 3 for UCF101 and HMDB51).
func checkSplit(_ split: Int, dataset: String) throws(DatasetError) {
    guard (1...3).contains(split) else { throw DatasetError(dataset, "split must be 1, 2 or 3, got \(split)") }
}
