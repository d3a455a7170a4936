import Foundation
import KinemaOptim
import KinemaTrain
import KinemaVideo
import Testing

/// A folder of frames in which a textured square crosses the image, so clips at different strides
/// differ in motion only.
private func makeMovingSquareVideo(in folder: URL, frames: Int) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for t in 0..<frames {
        var image = Image(width: 48, height: 40, format: .rgb, filledWith: [30, 90, 40])
        for y in 10..<26 {
            for x in 0..<16 {
                let px = (t * 2 + x) % 48
                let i = (y * 48 + px) * 3
                image.pixels[i] = UInt8((x * 16) % 256)
                image.pixels[i + 1] = 200
                image.pixels[i + 2] = UInt8((y * 12) % 256)
            }
        }
        try image.write(to: folder.appendingPathComponent(String(format: "frame%04d.png", t)))
    }
}

@Test func demoRunsEndToEndAndWritesItsFiles() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-demo-\(UInt64.random(in: 0...UInt64.max))")
    defer { try? FileManager.default.removeItem(at: root) }
    let video = root.appendingPathComponent("frames")
    try makeMovingSquareVideo(in: video, frames: 60)

    var config = PlaybackSpeedDemoConfig(video: video.path)
    config.output = root.appendingPathComponent("run").path
    config.steps = 3
    config.batchSize = 6
    config.strides = [1, 2]
    config.clipLength = 4
    config.evaluateEvery = 3
    config.validationClipsPerSpeed = 2
    config.frameWidth = 48
    config.frameHeight = 40
    config.cropSize = 32
    config.modelWidth = 4
    var steps = 0
    let summary = try PlaybackSpeedDemo.run(config) { event in
        if case .step = event { steps += 1 }
    }
    #expect(steps == 3)
    #expect(summary.steps == 3)
    #expect(summary.finalTrainLoss.isFinite)
    #expect(summary.validationAccuracyPerSpeed.count == 2)

    let out = URL(fileURLWithPath: config.output)
    for file in ["config.json", "provenance.json", "metrics.jsonl", "checkpoint.safetensors", "speeds.gif", "summary.json"] {
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
    }
    let lines = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        .split(separator: "\n")
    #expect(lines.filter { $0.contains("\"train\"") }.count == 3)
    #expect(lines.filter { $0.contains("\"validation\"") }.count == 1)
    let checkpoint = try Checkpoint.load(out.appendingPathComponent("checkpoint.safetensors"))
    #expect(checkpoint.step == 3)
    #expect(checkpoint.model["fc.weight"]?.shape == [2, 32])
}

@Test func demoRejectsAVideoTooShortForItsClips() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-demo-\(UInt64.random(in: 0...UInt64.max))")
    defer { try? FileManager.default.removeItem(at: root) }
    let video = root.appendingPathComponent("frames")
    try makeMovingSquareVideo(in: video, frames: 12)
    var config = PlaybackSpeedDemoConfig(video: video.path)
    config.output = root.appendingPathComponent("run").path
    config.frameWidth = 48
    config.frameHeight = 40
    config.cropSize = 32
    #expect(throws: VideoError.self) { try PlaybackSpeedDemo.run(config) { _ in } }
}
