import Foundation
import KinemaData
import Testing

@Suite struct DatasetListInputTests {
    /// The plain "path label" lists (VideoMAE's and TAdaConv's) and UCF101's split files.
    @Test func datasetLists() throws {
        let scratch = Scratch(), matrix = Matrix("dataset lists")
        let videos = try scratch.file("videos")
        try FileManager.default.createDirectory(at: videos.appendingPathComponent("Jump"), withIntermediateDirectories: true)
        for name in ["a.avi", "b.avi", "Jump/v_Jump_g01_c01.avi"] { _ = try scratch.file("videos/\(name)", Data([0])) }
        func list(_ name: String, _ text: String) throws -> URL { try scratch.file(name, Data(text.utf8)) }

        let missing = try list("missing-video.txt", "a.avi 0\nnot-there.avi 1\n")
        // A bad row among good ones is skipped and reported (the commands print the reports); a list
        // with no usable row is an error that shows why.
        matrix.warns("a listed video that does not exist, among good rows", "pathLabelList", mentioning: "not-there.avi") {
            let dataset = try VideoDataset.pathLabelList(missing, root: videos)
            #expect(dataset.count == 1)
            return dataset.problems.first.map { "row skipped and reported: \($0)" }
        }
        let word = try list("word-label.txt", "a.avi zero\n")
        matrix.rejects("a label that is not a number (the only row)", "pathLabelList", file: word, mentioning: "word-label.txt:1") {
            _ = try VideoDataset.pathLabelList(word, root: videos)
        }
        let negative = try list("negative-label.txt", "a.avi -3\n")
        matrix.rejects("a negative label", "pathLabelList", file: negative) { _ = try VideoDataset.pathLabelList(negative, root: videos) }
        let range = try list("out-of-range.txt", "a.avi 0\nb.avi 7\n")
        matrix.warns("a label beyond the class names, among good rows", "pathLabelList", mentioning: "0…1") {
            let dataset = try VideoDataset.pathLabelList(range, root: videos, classNames: ["x", "y"])
            #expect(dataset.count == 1)
            return dataset.problems.first.map { "row skipped and reported: \($0)" }
        }
        let empty = try list("empty.txt", "")
        matrix.rejects("an empty list", "pathLabelList", file: empty) { _ = try VideoDataset.pathLabelList(empty, root: videos) }
        let nofile = try scratch.file("no-list.txt")
        matrix.rejects("a missing list file", "pathLabelList", file: nofile) { _ = try VideoDataset.pathLabelList(nofile, root: videos) }
        let binary = try scratch.file("binary.txt", garbage(512))
        matrix.rejects("binary bytes as a list", "pathLabelList", file: binary) { _ = try VideoDataset.pathLabelList(binary, root: videos) }

        let windows = try scratch.file("crlf-bom.txt", Data([0xEF, 0xBB, 0xBF]) + Data("a.avi 0\r\nb.avi 1\r\n".utf8))
        matrix.accepts("CRLF line ends and a UTF-8 byte-order mark", "pathLabelList") {
            let dataset = try VideoDataset.pathLabelList(windows, root: videos)
            #expect(dataset.count == 2)
            return "\(dataset.count) videos, as without them"
        }
        let splits = try scratch.file("splits")
        try FileManager.default.createDirectory(at: splits, withIntermediateDirectories: true)
        _ = try scratch.file("splits/classInd.txt", Data("1 Jump\r\n".utf8))
        _ = try scratch.file("splits/trainlist01.txt", Data("Jump/v_Jump_g01_c01.avi 1\r\n".utf8))
        matrix.accepts("UCF101 split files with CRLF line ends (as distributed)", "ucf101") {
            let dataset = try VideoDataset.ucf101(videos: videos, splits: splits, subset: .train)
            return "\(dataset.count) video of \(dataset.classNames.count) class"
        }
        _ = try scratch.file("splits/testlist01.txt", Data("Jump/v_Jump_g09_c01.avi\n".utf8))
        matrix.rejects("a UCF101 test list naming a missing video", "ucf101", file: splits, mentioning: "v_Jump_g09_c01.avi") {
            _ = try VideoDataset.ucf101(videos: videos, splits: splits, subset: .test)
        }
        try matrix.publish(folder: scratch.url)
    }
}
