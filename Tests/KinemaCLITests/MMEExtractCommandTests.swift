import Foundation
import KinemaMediaTestSupport
import Testing

/// `kinema mme extract` through the real executable on the tiny generated videos: it fills the
/// cache, a second run skips every complete entry, a corrupted entry is recomputed, and a run
/// pretraining from the cache trains.
@Suite(.serialized) struct MMEExtractCommandTests {
    @Test func extractsResumesRecomputesACorruptEntryAndTrainsFromTheCache() throws {
        let folder = TemporaryFolder()
        let data = folder.file("data")
        try TinyMotionVideos.write(to: data)
        let cache = folder.file("cache")
        let settings = [
            "--set", "data.source=\(data.appendingPathComponent("videos").path)", "--set", "data.format=ucf101",
            "--set", "data.splits=\(data.appendingPathComponent("splits").path)",
            "--set", "data.frames=4", "--set", "data.stride=2", "--set", "data.decodeShortSide=36", "--set", "data.cropSize=32",
            "--set", "data.batchSize=2", "--set", "data.validationVideos=2", "--set", "data.validationClips=1",
            "--set", "target.motion.flow=dis-ultrafast", "--set", "target.cache=\(cache.path)",
        ]
        let first = try CLIRunner.run(["mme", "extract", "--threads", "2"] + settings)
        #expect(first.status == 0, "\(first.output)")
        let entries = try FileManager.default.subpathsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".flow.safetensors") }.sorted()
        #expect(!entries.isEmpty)
        #expect(first.output.contains("\(entries.count) extracted") && first.output.contains("0 already complete"), "\(first.output)")

        let second = try CLIRunner.run(["mme", "extract", "--threads", "2"] + settings)
        #expect(second.status == 0 && second.output.contains("0 extracted") && second.output.contains("\(entries.count) already complete"),
                "\(second.output)")

        let damaged = cache.appendingPathComponent(entries[0])
        var bytes = try Data(contentsOf: damaged)
        bytes[bytes.count - 10] ^= 0xFF
        try bytes.write(to: damaged)
        let third = try CLIRunner.run(["mme", "extract", "--threads", "2"] + settings)
        #expect(third.status == 0 && third.output.contains("1 extracted"), "\(third.output)")

        let output = folder.file("run")
        let training = try CLIRunner.run(["mme", "pretrain", "--output", output.path] + settings + [
            "--set", "model.name=vit_s_16_tiny", "--set", "model.decoderWidth=96", "--set", "model.decoderHeads=3",
            "--set", "steps=2", "--set", "epochs=0", "--set", "optim.warmupEpochs=0", "--set", "validateEvery=2",
            "--set", "run.tensorBoard=false", "--set", "run.threads=2",
        ])
        #expect(training.status == 0, "\(training.output)")
        #expect(!training.output.contains("target.cache:"), "every video came from the cache: \(training.output)")
    }

    @Test func withoutACacheFolderItSaysWhichKeyToSet() throws {
        let result = try CLIRunner.run(["mme", "extract", "--set", "data.source=/nowhere"])
        #expect(result.status != 0 && result.output.contains("target.cache"), "\(result.output)")
    }
}
