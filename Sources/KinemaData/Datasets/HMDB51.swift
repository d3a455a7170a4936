import Foundation

// HMDB51's official splits (`testTrainMulti_7030_splits/`, docs/reference-implementations.md §5.1): one file per
// class and split, `<class>_test_split<N>.txt`, lines "<video>.avi <flag>" with flag 1 = train,
// 2 = test, 0 = not used in this split (70 train / 30 test per class → 3,570 / 1,530). Classes are
// numbered in sorted order of their names, as TAdaConv's and mmaction's lists number them.

extension VideoDataset {
    /// HMDB51 split `split` (1–3), `subset` side.
    ///
    /// - Parameters:
    ///   - videos: The folder holding `<class>/<video>.avi` (or frame folders `<class>/<video>/`;
    ///     videos lying directly in `videos` are found too).
    ///   - splits: The folder holding the 153 `<class>_test_split<N>.txt` files.
    public static func hmdb51(videos: URL, splits: URL, split: Int = 1, subset: DatasetSubset) throws(DatasetError)
        -> VideoDataset
    {
        try checkSplit(split, dataset: "HMDB51")
        let suffix = "_test_split\(split).txt"
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: splits.path) } catch {
            throw DatasetError(splits.path, "the HMDB51 split folder cannot be listed (\(error.localizedDescription))")
        }
        let classNames = names.filter { $0.hasSuffix(suffix) && $0.count > suffix.count }.map {
            String($0.dropLast(suffix.count))
        }
        .sorted()
        guard !classNames.isEmpty else { throw DatasetError(splits.path, "holds no <class>\(suffix) file") }
        let wanted = subset == .train ? 1 : 2
        var builder = DatasetBuilder(source: "HMDB51 split \(split) \(subset.rawValue) (\(splits.path))", root: videos)
        for (label, name) in classNames.enumerated() {
            let list = splits.appendingPathComponent(name + suffix)
            for (number, text) in try AnnotationFile(list).lines {
                guard let (video, flagText) = text.splitAtLastWhitespace(), let flag = Int(flagText),
                    (0...2).contains(flag)
                else {
                    builder.report(
                        .malformedLine, "expected \"<video>.avi <0|1|2>\", got \"\(text)\"", file: list, line: number)
                    continue
                }
                if flag == wanted { builder.add(["\(name)/\(video)", video], label: label, file: list, line: number) }
            }
        }
        return try builder.dataset(classNames: classNames)
    }
}
