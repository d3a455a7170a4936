import Foundation

// UCF101's official split files (`ucfTrainTestlist/`, docs/reference-implementations.md §5.1):
//   classInd.txt      "1 ApplyEyeMakeup"                                (1-based id, class)
//   trainlist0N.txt   "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1"   (path, 1-based id)
//   testlist0N.txt    "ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi"     (no id: the class is the folder)
// Split 1 holds 9,537 training and 3,783 test videos. The class "HandstandPushups" holds files
// named "v_HandStandPushups_*", and some copies name the folder that way too: class names and
// paths are matched without regard to letter case.

extension VideoDataset {
    /// UCF101 split `split` (1–3), `subset` side.
    ///
    /// - Parameters:
    ///   - videos: The folder holding `<Class>/v_<Class>_gXX_cYY.avi` (or frame folders
    ///     `<Class>/v_<Class>_gXX_cYY/`).
    ///   - splits: The folder holding `classInd.txt`, `trainlist0N.txt` and `testlist0N.txt`.
    public static func ucf101(videos: URL, splits: URL, split: Int = 1, subset: DatasetSubset) throws(DatasetError)
        -> VideoDataset
    {
        try checkSplit(split, dataset: "UCF101")
        let classes = ClassIndex(try ucf101ClassNames(splits.appendingPathComponent("classInd.txt")))
        let list = splits.appendingPathComponent("\(subset == .train ? "trainlist" : "testlist")0\(split).txt")
        var builder = DatasetBuilder(source: "UCF101 split \(split) \(subset.rawValue) (\(list.path))", root: videos)
        for (number, text) in try AnnotationFile(list).lines {
            // Training rows end in a class id; test rows have none, but tolerate one.
            var path = text
            var id: String?
            if let (head, tail) = text.splitAtLastWhitespace() { (path, id) = (head, tail) }
            if let label = ucf101Label(
                path: path, id: id, classes: classes, list: list, line: number, builder: &builder)
            {
                builder.add([path], label: label, file: list, line: number)
            }
        }
        return try builder.dataset(classNames: classes.names)
    }

    /// The class names of a UCF101 `classInd.txt` ("1 ApplyEyeMakeup" per line), indexed by
    /// `id − 1`. Throws when a line does not parse or the ids are not exactly 1…N: the class list
    /// defines every label, so it must be right.
    public static func ucf101ClassNames(_ classInd: URL) throws(DatasetError) -> [String] {
        var byID: [Int: String] = [:]
        for (number, text) in try AnnotationFile(classInd).lines {
            guard let (id, name) = text.splitAtFirstWhitespace(), let value = Int(id), value >= 1 else {
                throw DatasetError("\(classInd.path):\(number)", "expected \"<id> <ClassName>\", got \"\(text)\"")
            }
            guard byID.updateValue(name, forKey: value) == nil else {
                throw DatasetError("\(classInd.path):\(number)", "class id \(value) appears twice")
            }
        }
        guard !byID.isEmpty else { throw DatasetError(classInd.path, "lists no class") }
        guard byID.keys.max() == byID.count else {
            // Lazily: the largest id is the file's claim and may be huge.
            let missing = (1...byID.keys.max()!).lazy.filter { byID[$0] == nil }.prefix(5).map(String.init)
            throw DatasetError(
                classInd.path, "class ids must run 1…N without gaps; missing \(missing.joined(separator: ", "))")
        }
        return (1...byID.count).map { byID[$0]! }
    }

    /// The label of one list row from its id (1-based) and its class folder (or, without a folder,
    /// the `v_<Class>_gXX_cYY` file name); nil (with the problem recorded) when they are missing,
    /// unknown or disagree.
    private static func ucf101Label(
        path: String, id: String?, classes: ClassIndex, list: URL, line: Int, builder: inout DatasetBuilder
    ) -> Int? {
        let components = path.split(separator: "/")
        let folderClass: String? =
            components.count >= 2
            ? String(components[components.count - 2])
            : String(components.last ?? "").split(separator: "_").dropFirst().first.map(String.init)
        var fromID: Int?
        if let id {
            guard let value = Int(id), value >= 1, value <= classes.names.count else {
                builder.report(
                    .badLabel, "class id \"\(id)\" is not in 1…\(classes.names.count)", file: list, line: line)
                return nil
            }
            fromID = value - 1
        }
        let fromFolder = folderClass.flatMap(classes.label(of:))
        if let folderClass, fromFolder == nil {
            builder.report(.unknownClass, "class \"\(folderClass)\" is not in classInd.txt", file: list, line: line)
            return nil
        }
        if let fromID, let fromFolder, fromID != fromFolder {
            builder.report(
                .badLabel,
                "class id \(fromID + 1) is \(classes.names[fromID]) but the video is in \(classes.names[fromFolder])",
                file: list, line: line)
            return nil
        }
        guard let label = fromID ?? fromFolder else {
            builder.report(.malformedLine, "\"\(path)\" names no class", file: list, line: line)
            return nil
        }
        return label
    }
}

extension String {
    /// The text before and after the first run of white space (`"1 Apply Eye"` → `("1", "Apply Eye")`).
    func splitAtFirstWhitespace() -> (head: String, tail: String)? {
        guard let space = firstIndex(where: \.isWhitespace) else { return nil }
        let tail = self[space...].trimmingCharacters(in: .whitespaces)
        return tail.isEmpty ? nil : (String(self[..<space]), tail)
    }
}
