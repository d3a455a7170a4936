import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaPretext
import KinemaTensor
import KinemaVideo
import Testing

private func sources(_ count: Int) -> [Image] {
    (0..<count).map { i in texture(width: 60 + 7 * i, height: 48 + 3 * i) }
}

/// Same-batch layout: the C_T clips of image b are rows C_T·b … C_T·b + C_T − 1, labels 0 … C_T − 1
/// each time (the official `(B, 9, …) → (9B, …)` reshape).
@Test func batchIsVideoMajorWithEveryLabelPerImage() throws {
    let generator = try MoSIGenerator(smallConfig(mask: .randomRatio(0.3...0.5)), seed: 1, threads: 2)
    let images = sources(3)
    let batch = try generator.batch(images, items: [0, 1, 2])
    #expect(batch.labels == Array(repeating: Array(0..<9), count: 3).flatMap { $0 })
    #expect(batch.clips.count == 27 && batch.clips.allSatisfy { $0.count == 8 })
    for b in 0..<3 {
        let alone = try generator.group(for: images[b], item: b)
        #expect(Array(batch.clips[(9 * b)..<(9 * b + 9)]) == alone.clips, "image \(b)")
        #expect(batch.groups[b] == alone.group)
    }
    let (x, y) = batch.tensors(.kinetics)
    #expect(x.shape == [27, 3, 8, 16, 16] && x.dtype == .float32)
    #expect(y.shape == [27] && y.array(of: Int.self) == batch.labels)
    // MoSI normalisation: (byte / 255 − 0.45) / 0.225.
    let first = Float(batch.clips[0][0].pixels[0])
    #expect(abs(x.array(of: Float.self)[0] - (first / 255 - 0.45) / 0.225) < 1e-5)
}

@Test func sameSeedSameBytesAtAnyThreadCount() throws {
    let config = smallConfig(mask: .randomRatio(0.3...0.5), color: .paper, flip: .flipWithLabelSwap)
    let images = sources(4)
    let one = try MoSIGenerator(config, seed: 9, threads: 1).batch(images, items: [4, 5, 6, 7])
    let two = try MoSIGenerator(config, seed: 9, threads: 2).batch(images, items: [4, 5, 6, 7])
    #expect(one.clips == two.clips && one.groups == two.groups)
    let other = try MoSIGenerator(config, seed: 10, threads: 2).batch(images, items: [4, 5, 6, 7])
    #expect(other.clips != one.clips)
}

@Test func batchRejectsMismatchedItems() throws {
    let generator = try MoSIGenerator(smallConfig(), seed: 1, threads: 1)
    #expect(throws: MoSIError.self) { try generator.batch(sources(2), items: [0]) }
    #expect(throws: MoSIError.self) { try generator.batch([], items: []) }
}

@Test func imageFolderIsRecursiveInNaturalOrder() throws {
    let folder = TemporaryFolder()
    let sub = folder.url.appendingPathComponent("b")
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    let names = ["a/img10.png", "a/img2.jpg", "b/x.PNG", "notes.txt", ".hidden.png"]
    try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("a"), withIntermediateDirectories: true)
    for (i, name) in names.enumerated() {
        let url = folder.file(name)
        if name.hasSuffix(".txt") { try Data("x".utf8).write(to: url); continue }
        try texture(width: 20 + i, height: 10).write(to: url, format: name.hasSuffix("jpg") ? .jpeg() : .png())
    }
    let source = try ImageFolderSource(folder.url)
    #expect(source.files.map { $0.pathComponents.suffix(2).joined(separator: "/") } == ["a/img2.jpg", "a/img10.png", "b/x.PNG"])
    var generator = KinemaData.SeededGenerator(seed: 0)
    #expect(try source.image(at: 1, using: &generator) == texture(width: 20, height: 10))
    #expect(throws: VideoError.self) { try source.image(at: 3, using: &generator) }

    let batch = try MoSIGenerator(smallConfig(), seed: 3, threads: 2).batch(from: source, indices: [2, 0], epoch: 1)
    #expect(batch.clips.count == 18 && batch.labels.count == 18)
}

@Test func imageFolderErrorsSayWhatIsWrong() throws {
    let folder = TemporaryFolder()
    #expect(throws: VideoError(folder.url, .noFrames("the folder holds no jpg/jpeg/png images"))) {
        try ImageFolderSource(folder.url)
    }
    #expect(throws: VideoError(folder.file("none"), .missing)) { try ImageFolderSource(folder.file("none")) }
}

/// One random frame per video, re-drawn per generator (per epoch): a video whose frame t is filled
/// with gray level 20 t shows which frame was drawn.
@Test func videoSourceDrawsOneFramePerVideoPerEpoch() throws {
    let folder = TemporaryFolder()
    let url = folder.file("clip.mp4")
    let writer = try VideoWriter(url: url, width: 64, height: 48, fps: 25)
    for t in 0..<10 { try writer.write(Image(width: 64, height: 48, format: .rgb, filledWith: [UInt8(20 * t), UInt8(20 * t), UInt8(20 * t)])) }
    try writer.finish()
    let source = try VideoFrameSource(folder: folder.url)
    #expect(source.count == 1)
    var levels = Set<Int>()
    for epoch in 0..<12 {
        var generator = KinemaData.SeededGenerator(seed: 5, index: epoch)
        let frame = try source.image(at: 0, using: &generator)
        #expect(frame.width == 64 && frame.height == 48 && frame.format == .rgb)
        levels.insert((Int(frame.pixel(x: 32, y: 24)[0]) + 10) / 20)
        var again = KinemaData.SeededGenerator(seed: 5, index: epoch)
        #expect(try source.image(at: 0, using: &again) == frame, "the same epoch draws the same frame")
    }
    #expect(levels.count > 3, "frames drawn: \(levels.sorted())")
    #expect(throws: VideoError.self) { try VideoFrameSource(videos: []) }
}
