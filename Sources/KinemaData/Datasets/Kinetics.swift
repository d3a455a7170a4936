import Foundation

// Kinetics annotation CSVs (train.csv, validate.csv, test.csv of Kinetics-400/600/700):
//   label,youtube_id,time_start,time_end,split[,is_cc]
//   "abseiling",-3B32lodo2M,59,69,train
// The clips are cut from YouTube videos; the download scripts name each clip
// `<youtube_id>_<time_start:06d>_<time_end:06d>.mp4` and file it under `<split>/<label>/`
// (ActivityNet's crawler, with spaces in labels kept or turned into underscores), under
// `<split>/` alone (the CVDF mirror), or under `<label>/`. All of these are looked for.

extension VideoDataset {
    /// The Kinetics clips of one annotation CSV.
    ///
    /// - Parameters:
    ///   - csv: An annotation file with a `label,youtube_id,time_start,time_end,split` header
    ///     (without a header the columns are taken in that order).
    ///   - videos: The dataset root (see the layouts above).
    ///   - classNames: The label space, e.g. the training set's ``classNames`` when reading the
    ///     validation CSV; nil takes the labels of this CSV in alphabetical order (the usual K400
    ///     numbering). Rows with a label outside a given list are reported as unknown classes.
    public static func kinetics(csv: URL, videos: URL, classNames: [String]? = nil) throws(DatasetError) -> VideoDataset
    {
        let file = try AnnotationFile(csv)
        var columns = ["label": 0, "youtube_id": 1, "time_start": 2, "time_end": 3, "split": 4]
        var rows = file.lines[...]
        if let header = rows.first, header.text.csvFields().contains("youtube_id") {
            columns = Dictionary(
                header.text.csvFields().enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            rows = rows.dropFirst()
            for required in ["label", "youtube_id", "time_start", "time_end"] where columns[required] == nil {
                throw DatasetError("\(csv.path):\(header.number)", "the header has no \"\(required)\" column")
            }
        }
        let csvName = csv.deletingPathExtension().lastPathComponent
        var builder = DatasetBuilder(source: "Kinetics (\(csv.path))", root: videos)
        var clips: [(line: Int, label: String, paths: [String])] = []
        for (number, text) in rows {
            let fields = text.csvFields()
            func field(_ name: String) -> String? { columns[name].flatMap { $0 < fields.count ? fields[$0] : nil } }
            guard let label = field("label"), let id = field("youtube_id"), !id.isEmpty,
                let start = field("time_start").flatMap(Double.init), let end = field("time_end").flatMap(Double.init),
                start >= 0, end >= start, end <= longestVideoSeconds
            else {
                builder.report(
                    .malformedLine, "expected \"label,youtube_id,time_start,time_end,split\", got \"\(text)\"",
                    file: csv,
                    line: number)
                continue
            }
            guard !label.isEmpty else {
                builder.report(.badLabel, "the clip has no label (an unlabelled test set?)", file: csv, line: number)
                continue
            }
            let name = "\(id)_\(zeroPadded(Int(start)))_\(zeroPadded(Int(end)))"
            // Always the same ten candidate layouts, so that a layout's position means the same for every row.
            let split = field("split").flatMap { $0.isEmpty ? nil : $0 } ?? csvName
            let labelFolders = [label, label.replacingOccurrences(of: " ", with: "_")]
            let paths = ["\(split)/", "\(csvName)/", ""].flatMap { folder in
                labelFolders.map { "\(folder)\($0)/\(name)" } + ["\(folder)\(name)"]
            }
            clips.append((number, label, paths + [id]))
        }
        let classes = ClassIndex(classNames ?? Array(Set(clips.map(\.label))).sorted())
        guard !classes.names.isEmpty else { throw DatasetError(csv.path, "lists no labelled clip") }
        // The layout found for one clip is tried first for the next (one `stat` per clip).
        var preferred = 0
        for clip in clips {
            guard let label = classes.label(of: clip.label) else {
                builder.report(
                    .unknownClass, "class \"\(clip.label)\" is not in the class list", file: csv, line: clip.line)
                continue
            }
            let layouts = [clip.paths[preferred]] + clip.paths
            if let found = builder.add(layouts, label: label, file: csv, line: clip.line), found > 0 {
                preferred = found - 1
            }
        }
        return try builder.dataset(classNames: classes.names)
    }
}

/// The latest `time_end` taken (a year): a time is written as a whole number of seconds, and a
/// larger one is not a real clip's (nor, past Int.max, a number that converts at all).
private let longestVideoSeconds = 365.0 * 24 * 3600

/// `n` with at least six digits, as the download scripts write clip times (`%06d`).
private func zeroPadded(_ n: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
}
