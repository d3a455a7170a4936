import Foundation

/// One skipped row of an annotation file: where it is and what is wrong with it.
public struct DatasetProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The row names a video (or frame folder) that is not on disk.
        case missingVideo
        /// The row's class is not in the dataset's class list.
        case unknownClass
        /// The row's label number is not a class index, or disagrees with the class its folder names.
        case badLabel
        /// The row does not have the format of its file.
        case malformedLine
        /// A class folder without any video.
        case emptyClass
    }

    /// The annotation file (or folder) concerned.
    public let file: String
    /// 1-based line of a text file, or 1-based entry of a JSON list; nil for a whole folder.
    public let line: Int?
    public let kind: Kind
    /// What is wrong, in words.
    public let message: String

    public init(file: String, line: Int?, kind: Kind, message: String) {
        self.file = file
        self.line = line
        self.kind = kind
        self.message = message
    }

    /// `file:line: message`, as compilers print locations.
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// A dataset that cannot be read at all: an annotation file missing or not parseable as a whole,
/// an unusable class list, a bad option, or no usable video left after skipping bad rows.
public struct DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, folder or setting concerned.
    public let source: String
    public let message: String

    public init(_ source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
