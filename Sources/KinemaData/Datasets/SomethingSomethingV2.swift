import Foundation

// Something-Something v2 annotations (20bn): a labels file mapping each template without its
// brackets to a class index, {"Approaching something with your camera": "0", …} (174 classes),
// and a list per subset (train / validation):
//   [{"id": "78687", "label": "holding potato next to vicks vaporub bottle",
//     "template": "Holding [something] next to [something]", "placeholders": ["potato", …]}, …]
// The class of an entry is its template with "[" and "]" removed; the video is `<id>.webm`.

extension VideoDataset {
    /// The Something-Something v2 videos of one annotation list.
    ///
    /// - Parameters:
    ///   - labels: `something-something-v2-labels.json`.
    ///   - annotations: `something-something-v2-train.json` or `…-validation.json`.
    ///   - videos: The folder holding `<id>.webm` (or frame folders `<id>/`).
    public static func somethingSomethingV2(labels: URL, annotations: URL, videos: URL) throws(DatasetError)
        -> VideoDataset
    {
        let classes = ClassIndex(try somethingSomethingV2ClassNames(labels))
        guard let entries = try AnnotationFile.json(annotations) as? [Any] else {
            throw DatasetError(annotations.path, "expected a JSON list of {\"id\", \"template\", …} entries")
        }
        var builder = DatasetBuilder(source: "Something-Something v2 (\(annotations.path))", root: videos)
        for (index, entry) in entries.enumerated() {
            let number = index + 1
            guard let fields = entry as? [String: Any], let id = jsonString(fields["id"]), !id.isEmpty else {
                builder.report(.malformedLine, "entry \(number) has no \"id\"", file: annotations, line: number)
                continue
            }
            guard let template = fields["template"] as? String else {
                builder.report(
                    .badLabel, "video \(id) has no \"template\" (an unlabelled test list?)", file: annotations,
                    line: number)
                continue
            }
            let name = template.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
            guard let label = classes.label(of: name) else {
                builder.report(
                    .unknownClass, "video \(id): class \"\(name)\" is not in the labels file", file: annotations,
                    line: number)
                continue
            }
            builder.add([id], label: label, file: annotations, line: number)
        }
        return try builder.dataset(classNames: classes.names)
    }

    /// The class names of a Something-Something v2 labels file, indexed by their numbers. Throws
    /// unless the numbers are exactly 0…N−1.
    public static func somethingSomethingV2ClassNames(_ labels: URL) throws(DatasetError) -> [String] {
        guard let map = try AnnotationFile.json(labels) as? [String: Any] else {
            throw DatasetError(labels.path, "expected a JSON object {\"<template>\": \"<index>\", …}")
        }
        var names = [String?](repeating: nil, count: map.count)
        for (name, value) in map {
            guard let index = jsonString(value).flatMap({ Int($0) }), names.indices.contains(index), names[index] == nil
            else {
                throw DatasetError(
                    labels.path, "class \"\(name)\" has index \(value); indices must be 0…\(map.count - 1), each once")
            }
            names[index] = name
        }
        guard !names.isEmpty else { throw DatasetError(labels.path, "lists no class") }
        return names.map { $0! }
    }
}

/// A JSON string or number as text (ids and indices appear both ways in the wild).
private func jsonString(_ value: Any?) -> String? {
    switch value {
    case let text as String: text
    case let number as NSNumber: number.stringValue
    default: nil
    }
}
