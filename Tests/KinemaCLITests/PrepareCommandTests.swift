import Foundation
import KinemaMediaTestSupport
import KinemaVideo
import Testing

/// `kinema prepare` through the real executable on `make testdata`'s videos: sizes, frame counts
/// and frame rates of the outputs, a corrupt input reported while the others are prepared, a
/// truncated one warned about, a rerun that skips what is complete, Ctrl-C, and no temporary file
/// left behind.
@Suite(.serialized) struct PrepareCommandTests {
    /// Every file under `folder`, hidden ones included, relative to it.
    private func files(under folder: URL) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { path in
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
            return !isFolder.boolValue
        }.sorted()
    }

    @Test func preparesReportsACorruptVideoAndSkipsCompleteOutputsOnARerun() throws {
        let folder = TemporaryFolder()
        let (source, output) = (folder.file("source"), folder.file("prepared"))
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: source.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        try fileManager.copyItem(at: TestData.url("videos/carphone.mp4"), to: source.appendingPathComponent("a/carphone.mp4"))
        try fileManager.copyItem(at: TestData.url("videos/g1.avi"), to: source.appendingPathComponent("a/b/g1.avi"))
        // Its container declares 300 frames, 295 decode.
        try fileManager.copyItem(at: TestData.url("videos/balle1-vp9.avi"), to: source.appendingPathComponent("balle1-vp9.avi"))
        try Data(String(repeating: "not a video ", count: 400).utf8).write(to: source.appendingPathComponent("broken.mp4"))
        // Below the short side, odd sizes: kept (never enlarged), rounded down to even.
        let small = try VideoWriter(url: source.appendingPathComponent("small.mkv"), width: 63, height: 47, fps: 12, codecs: ["FFV1"])
        for value in 0..<6 { try small.write(Image(width: 63, height: 47, format: .rgb, pixels: [UInt8](repeating: UInt8(value * 40), count: 63 * 47 * 3))) }
        try small.finish()

        let arguments = ["prepare", source.path, output.path, "--short-side", "128", "--threads", "2"]
        let first = try CLIRunner.run(arguments)
        #expect(first.status == 1, "the corrupt video makes the command fail at the end: \(first.output)")
        #expect(first.output.contains("5 videos: 4 prepared, 0 already complete (skipped), 1 failed; 437 frames"), "\(first.output)")
        #expect(first.output.contains("\(source.path)/broken.mp4: cannot be decoded"), "\(first.output)")
        #expect(first.output.contains("balle1-vp9.avi: the stream ended after 295 of the 300 frames"), "\(first.output)")

        let expected: [(path: String, width: Int, height: Int, frames: Int, fps: Double)] = [
            ("a/b/g1.mp4", 170, 128, 16, 25), ("a/carphone.mp4", 156, 128, 120, 29.97), ("balle1-vp9.mp4", 170, 128, 295, 187.35),
            ("small.mp4", 62, 46, 6, 12),
        ]
        #expect(try files(under: output) == expected.map(\.path), "only complete outputs, no temporary files")
        for video in expected {
            let reader = try VideoReader(output.appendingPathComponent(video.path))
            #expect(reader.metadata.width == video.width && reader.metadata.height == video.height, "\(video.path)")
            #expect(try reader.countFrames() == video.frames, "\(video.path)")
            #expect(abs(reader.metadata.fps - video.fps) < 0.01, "\(video.path): \(reader.metadata.fps) fps")
        }

        let written = try expected.map { try fileManager.attributesOfItem(atPath: output.appendingPathComponent($0.path).path)[.modificationDate] as? Date }
        let second = try CLIRunner.run(arguments)
        #expect(second.status == 1 && second.output.contains("5 videos: 0 prepared, 4 already complete (skipped), 1 failed"), "\(second.output)")
        let rewritten = try expected.map { try fileManager.attributesOfItem(atPath: output.appendingPathComponent($0.path).path)[.modificationDate] as? Date }
        #expect(rewritten == written, "a rerun leaves complete outputs alone")
    }

    @Test func ctrlCLeavesNoHalfFileAndARerunCompletes() throws {
        let folder = TemporaryFolder()
        let (source, output) = (folder.file("source"), folder.file("prepared"))
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestData.url("videos/vtest.avi"), to: source.appendingPathComponent("vtest.avi"))
        let arguments = ["prepare", source.path, output.path, "--short-side", "256", "--threads", "1"]

        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Interrupt while the output is being written: its temporary file exists.
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline, (try? files(under: output))?.isEmpty ?? true { Thread.sleep(forTimeInterval: 0.005) }
        #expect(try files(under: output) == [".vtest.mp4.partial.mp4"])
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(try files(under: output).isEmpty, "no half file, under its final name or a temporary one")

        let rerun = try CLIRunner.run(arguments)
        #expect(rerun.status == 0 && rerun.output.contains("1 videos: 1 prepared"), "\(rerun.output)")
        #expect(try files(under: output) == ["vtest.mp4"])
        #expect(try VideoReader(output.appendingPathComponent("vtest.mp4")).countFrames() == 795)
    }

    @Test func refusesAnOutputInsideTheSourceAndAnOddShortSide() throws {
        let inside = try CLIRunner.run(["prepare", ".deps/data/videos", ".deps/data/videos/small", "--short-side", "128"])
        #expect(inside.status != 0 && inside.output.contains("must lie outside SOURCE"), "\(inside.output)")
        let odd = try CLIRunner.run(["prepare", ".deps/data/videos", "/tmp/never", "--short-side", "127"])
        #expect(odd.status != 0 && odd.output.contains("--short-side must be an even number"), "\(odd.output)")
    }
}
