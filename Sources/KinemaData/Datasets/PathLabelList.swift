import Foundation

// The plain lists of TAdaConv (`<ANNO_DIR>/ucf101_train_list.txt`) and VideoMAE (`train.csv`,
// `val.csv`, `test.csv`): one video per line, "<path> <0-based label>", space-delimited, no
// header (docs/reference-implementations.md §5.1); comma-delimited variants exist too.

extension VideoDataset {
    /// The videos of a `path label` list.
    ///
    /// - Parameters:
    ///   - list: The list; each line is a path, a space (or comma), and a 0-based label. Paths may
    ///     hold spaces (the label is what follows the last separator).
    ///   - root: The folder relative paths start from; nil for the list's own folder. Absolute
    ///     paths are used as they are.
    ///   - classNames: The label space; nil names the classes "0", "1", … up to the largest label.
    public static func pathLabelList(_ list: URL, root: URL? = nil, classNames: [String]? = nil) throws(DatasetError)
        -> VideoDataset
    {
        var builder = DatasetBuilder(source: "video list \(list.path)", root: root ?? list.deletingLastPathComponent())
        var largestLabel = -1
        for (number, text) in try AnnotationFile(list).lines {
            guard let (path, labelText) = pathAndLabel(text), !path.isEmpty else {
                builder.report(.malformedLine, "expected \"<path> <label>\", got \"\(text)\"", file: list, line: number)
                continue
            }
            guard let label = Int(labelText), label >= 0, label < (classNames?.count ?? largestUnnamedClassCount) else {
                let range = classNames.map { "0…\($0.count - 1)" } ?? "0…\(largestUnnamedClassCount - 1) (give the class names for more)"
                builder.report(.badLabel, "label \"\(labelText)\" is not \(range)", file: list, line: number)
                continue
            }
            largestLabel = max(largestLabel, label)
            builder.add([path], label: label, file: list, line: number)
        }
        return try builder.dataset(classNames: classNames ?? (0..<(largestLabel + 1)).map(String.init))
    }
}

/// Without class names a list names its classes "0" to its largest label: a label beyond this is
/// taken for a typo (or a hostile file), not for a request to allocate that many names.
private let largestUnnamedClassCount = 100_000

/// `"<path> <label>"` or `"<path>,<label>"` → (path, label text): the label follows the last comma
/// when that leaves a number, else the last white space.
private func pathAndLabel(_ text: String) -> (path: String, label: String)? {
    if let comma = text.lastIndex(of: ",") {
        let label = text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        if Int(label) != nil { return (text[..<comma].trimmingCharacters(in: .whitespaces), label) }
    }
    return text.splitAtLastWhitespace().map { ($0.head, $0.tail) }
}
