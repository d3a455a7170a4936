import Foundation

/// Class names from a text file, one a line in class-index order (what `kinema predict --classes`
/// reads: e.g. a Kinetics label list, or the names a model was trained with when its checkpoint
/// does not record them). Surrounding spaces and Windows line ends are dropped, and so are empty
/// lines at the end; an empty line between names is an error (it would shift every later index).
public enum ClassNamesFile {
    /// The names of `url`; throws naming the file when it cannot be read, has an empty line between
    /// names, or holds another number of names than the classifier's `classes`.
    public static func read(_ url: URL, classes: Int) throws -> [String] {
        guard let data = try? Data(contentsOf: url) else {
            throw PredictionError("\(url.path): cannot be read (the --classes file: one class name a line)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PredictionError("\(url.path): not UTF-8 text (the --classes file: one class name a line)")
        }
        var names = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        while names.last?.isEmpty == true { names.removeLast() }
        if let empty = names.firstIndex(of: "") {
            throw PredictionError("\(url.path): line \(empty + 1) is empty; every line up to the last names one class, in index order")
        }
        guard names.count == classes else {
            throw PredictionError(
                "\(url.path) names \(names.count) classes, but the classifier has \(classes) outputs: the file needs one name "
                    + "a line for each, in index order")
        }
        return names
    }
}
