import Foundation
import KinemaFiles
import KinemaMediaTestSupport
import Testing

@Suite struct AtomicFileTests {
    @Test func aWriteReplacesTheFileWholeAndLeavesNoTemporary() throws {
        let folder = TemporaryFolder()
        let url = folder.file("a.bin")
        try AtomicFile.write(Data([1, 2, 3]), to: url)
        try AtomicFile.write(Data([9, 8]), to: url)
        #expect(try Data(contentsOf: url) == Data([9, 8]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["a.bin"])
    }

    /// A symlink where the file goes (planted to redirect the output elsewhere) is replaced, and
    /// the file it pointed to is left alone.
    @Test func aSymlinkAtTheTargetIsReplacedNotWrittenThrough() throws {
        let folder = TemporaryFolder()
        let outside = folder.file("outside.txt")
        try Data("keep".utf8).write(to: outside)
        let url = folder.file("run/report.html")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: url, withDestinationURL: outside)
        try AtomicFile.write(Data("report".utf8), to: url)
        #expect(try String(contentsOf: outside, encoding: .utf8) == "keep")
        #expect(try String(contentsOf: url, encoding: .utf8) == "report")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) == nil)
    }

    /// A write that cannot start names its cause (a failure mid-write, with the previous file kept
    /// byte for byte, is InterruptedRunTests' full-disk case).
    @Test func aWriteThatCannotStartSaysWhy() throws {
        let folder = TemporaryFolder()
        let url = folder.file("last.safetensors")
        try AtomicFile.write(Data([1]), to: url)
        // The target's folder path runs through a file: nothing can be created there.
        let error = #expect(throws: AtomicFileError.self) { try AtomicFile.write(Data([2]), to: url.appendingPathComponent("x")) }
        #expect(error?.description.contains("cannot be written") == true)
        #expect(try Data(contentsOf: url) == Data([1]))
    }
}
