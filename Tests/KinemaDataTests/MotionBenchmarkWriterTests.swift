import Foundation
import KinemaData
import KinemaVideo
import Testing

private func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("kinema-benchmark-\(UUID().uuidString)")
}

private func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

@Test func splitFilesAreInUCF101Format() throws {
    let assets = try BenchmarkFixtures.photoAssets()
    let config = MotionBenchmarkConfig(clipsPerClass: 4, frames: 2, size: 32, version: 1)
    let clips = try MotionBenchmarkSampler(config).sampleAll(pools: assets.pools(seed: 0))

    let classInd = UCF101Layout.classIndex(config.classes)
    #expect(classInd.hasPrefix("1 MoveLeft\r\n2 MoveRight\r\n3 MoveUp\r\n4 MoveDown\r\n5 MoveFast\r\n"))
    #expect(classInd.hasSuffix("11 BounceOffWalls\r\n12 CameraPan\r\n"))

    // Groups 1, 7, 13, 19 per class: the first two are test clips, the last two train clips.
    let train = UCF101Layout.trainList(clips), test = UCF101Layout.testList(clips)
    #expect(train.hasPrefix("MoveLeft/v_MoveLeft_g13_c01.avi 1\r\nMoveLeft/v_MoveLeft_g19_c01.avi 1\r\nMoveRight/v_MoveRight_g13_c01.avi 2\r\n"))
    #expect(test.hasPrefix("MoveLeft/v_MoveLeft_g01_c01.avi\r\nMoveLeft/v_MoveLeft_g07_c01.avi\r\nMoveRight/v_MoveRight_g01_c01.avi\r\n"))
    #expect(train.hasSuffix("CameraPan/v_CameraPan_g19_c01.avi 12\r\n"))

    let trainLine = #/^([A-Za-z]+)/v_\1_g(\d\d)_c(\d\d)\.avi (\d+)$/#
    let testLine = #/^([A-Za-z]+)/v_\1_g(\d\d)_c(\d\d)\.avi$/#
    let ids = Dictionary(uniqueKeysWithValues: config.classes.enumerated().map { ($0.element.rawValue, $0.offset + 1) })
    let trainRows = train.components(separatedBy: "\r\n").dropLast()
    let testRows = test.components(separatedBy: "\r\n").dropLast()
    #expect(trainRows.count == 24 && testRows.count == 24)
    for row in trainRows {
        let match = try #require(try trainLine.wholeMatch(in: row), "\(row)")
        #expect(ids[String(match.1)] == Int(match.4) && (8...25).contains(Int(match.2)!))
    }
    for row in testRows {
        let match = try #require(try testLine.wholeMatch(in: row), "\(row)")
        #expect(ids[String(match.1)] != nil && (1...7).contains(Int(match.2)!))
    }
    #expect(Set(trainRows).count + Set(testRows).count == clips.count)
    #expect(!train.contains("\n\n") && !test.contains(" \r"))
}

@Test func writesAPlayableBenchmarkThatMatchesItsSplitFiles() throws {
    let root = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let assets = try BenchmarkFixtures.photoAssets(discRadius: 6)
    let config = MotionBenchmarkConfig(clipsPerClass: 2, frames: 3, size: 32, seed: 5, version: 1)
    var reports: [Int] = []
    let summary = try MotionBenchmarkWriter.write(config, assets: assets, to: root, threads: 2, command: "test") { done, total in
        #expect(total == 24)
        reports.append(done)
    }
    #expect(reports.last == 24 && reports == reports.sorted())
    #expect(summary.classes == 12 && summary.trainClips == 12 && summary.testClips == 12 && summary.disjointAssets)

    let splits = root.appendingPathComponent("splits")
    let listed = try (text(splits.appendingPathComponent("trainlist01.txt")) + text(splits.appendingPathComponent("testlist01.txt")))
        .components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: " ")[0] }
    let files = FileManager.default.enumerator(atPath: root.appendingPathComponent("videos").path)!.compactMap { $0 as? String }
        .filter { $0.hasSuffix(".avi") }
    #expect(Set(listed) == Set(files) && files.count == 24)

    // The clip decodes back to its rendered frames (lossy codec: close, not exact).
    let clips = try MotionBenchmarkSampler(config).sampleAll(pools: assets.pools(seed: 5))
    let clip = clips[5]
    let rendered = try MotionBenchmarkRenderer.render(clip, assets: assets)
    let reader = try VideoReader(root.appendingPathComponent("videos").appendingPathComponent(UCF101Layout.videoPath(clip)))
    let decoded = try reader.remainingFrames()
    #expect(decoded.count == 3 && decoded[0].width == 32 && decoded[0].height == 32)
    for (a, b) in zip(decoded, rendered) {
        let differences: [Double] = zip(a.pixels, b.pixels).map { abs(Double($0) - Double($1)) }
        let error = differences.reduce(0, +) / Double(differences.count)
        #expect(error < 12, "mean absolute error \(error)")
    }

    struct Manifest: Decodable {
        struct Entry: Decodable { let path: String; let parameters: MotionBenchmarkClip }
        let config: MotionBenchmarkConfig
        let clips: [Entry]
        let disjointAssets: Bool
    }
    let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: root.appendingPathComponent("manifest.json")))
    #expect(manifest.config == config && manifest.disjointAssets)
    #expect(manifest.clips.map(\.parameters) == clips && manifest.clips.map(\.path) == clips.map(UCF101Layout.videoPath))
    let readme = try text(root.appendingPathComponent("README.txt"))
    #expect(readme.contains("12 CameraPan: the camera pans") && readme.contains("version 1"))

    // A second run refuses to mix with the first unless told to replace it.
    #expect(throws: MotionBenchmarkError.self) { try MotionBenchmarkWriter.write(config, assets: assets, to: root) }
    let stray = root.appendingPathComponent("notes.txt")
    try Data("mine".utf8).write(to: stray)
    try MotionBenchmarkWriter.write(config, assets: assets, to: root, overwrite: true)
    #expect(FileManager.default.fileExists(atPath: stray.path))
}

@Test func missingAssetsSayHowToFetchThem() throws {
    let nowhere = temporaryFolder()
    for kind in MotionBenchmarkKind.allCases {
        let error = try #require(throws: MotionBenchmarkError.self) {
            try MotionBenchmarkAssets.load(from: nowhere, kind: kind, frameSize: 64)
        }
        #expect(error.message.contains("Tools/data/fetch-benchmark.sh"), "\(error)")
    }
}

@Test func badSettingsAreRejectedWithAReason() {
    for bad in [
        MotionBenchmarkConfig(clipsPerClass: 0), MotionBenchmarkConfig(frames: 1), MotionBenchmarkConfig(size: 33),
        MotionBenchmarkConfig(fps: 0), MotionBenchmarkConfig(cameraShakeProbability: 1.5), MotionBenchmarkConfig(version: 3),
    ] {
        #expect(throws: MotionBenchmarkError.self) { try bad.validate() }
    }
}

@Test func idxFilesAreReadAndCheckedAgainstTheirHeader() throws {
    let folder = temporaryFolder()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = folder.appendingPathComponent("good"), short = folder.appendingPathComponent("short")
    let pixels = (0..<(3 * 2 * 4)).map { UInt8($0) }
    try Data([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4] + pixels).write(to: good)
    try Data([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4] + pixels.dropLast()).write(to: short)
    let images = try IDXImages(contentsOf: good)
    #expect(images.count == 3 && images.rows == 2 && images.columns == 4)
    #expect(images.image(2) == Image(width: 4, height: 2, format: .gray, pixels: Array(16..<24).map(UInt8.init)))
    #expect(throws: MotionBenchmarkError.self) { try IDXImages(contentsOf: short) }
    #expect(throws: MotionBenchmarkError.self) { try IDXImages(contentsOf: folder.appendingPathComponent("none")) }
}
