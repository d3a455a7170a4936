import Foundation
import KinemaOptim
import KinemaTestSupport
import Testing

/// Checkpoints: bitwise round trips, exact resume, and clear errors for damaged files.
@Suite struct CheckpointTests {
    /// A fresh folder for one test's files, removed afterwards.
    private func withTemporaryFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-optim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    /// The tiny PyTorch model's state dict from the fixture (float32 weights, int64 counter).
    private func tinyModel(_ f: OptimFixture) -> [String: Tensor] {
        let prefix = "tinymodel."
        return Dictionary(uniqueKeysWithValues: f.contents.tensors.compactMap { key, tensor in
            key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), tensor) : nil
        })
    }

    /// A realistic checkpoint: the tiny model, an AdamW (AMSGrad group included) after 3 steps,
    /// a random generator's state and trainer metadata.
    private func sampleCheckpoint() throws -> Checkpoint {
        let f = try OptimFixture()
        let parameters = try f.initialParameters()
        let optimizer = try ParityConfig.adamwGroups.makeOptimizer(parameters)
        try f.run(optimizer, .adamwGroups, parameters: parameters, steps: 0..<3)
        return Checkpoint(
            step: 3, epoch: 1, model: tinyModel(f), optimizer: optimizer,
            extra: ["generator": try Generator(seed: 42).state], modelDescription: "tiny: conv3d-bn-linear",
            metadata: ["run": "unit-test", "git": "abc123"])
    }

    private func expectSameTensors(_ a: [String: Tensor], _ b: [String: Tensor], _ what: String) {
        #expect(a.keys.sorted() == b.keys.sorted(), "\(what) keys")
        for (key, tensor) in a {
            guard let other = b[key] else { continue }
            #expect(tensor.dtype == other.dtype && tensor.isEqual(to: other), "\(what) \(key) differs")
        }
    }

    @Test func roundTripIsBitwise() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("runs/a/checkpoint.safetensors")
            let saved = try sampleCheckpoint()
            try saved.save(to: url)
            let loaded = try Checkpoint.load(url)
            #expect(loaded.step == 3 && loaded.epoch == 1)
            #expect(loaded.modelDescription == saved.modelDescription)
            #expect(loaded.metadata == saved.metadata)
            expectSameTensors(loaded.model, saved.model, "model")
            expectSameTensors(loaded.optimizer, saved.optimizer, "optimizer")
            expectSameTensors(loaded.extra, saved.extra, "extra")

            // Overwriting goes through a temporary file and a rename: nothing else is left behind.
            try saved.save(to: url)
            let files = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            #expect(files == ["checkpoint.safetensors"])

            // For Tools/fixtures/check_checkpoint_python.py: KINEMA_CHECKPOINT_SAMPLE=path swift test …
            if let path = ProcessInfo.processInfo.environment["KINEMA_CHECKPOINT_SAMPLE"] {
                try saved.save(to: URL(fileURLWithPath: path))
            }
        }
    }

    @Test(arguments: [ParityConfig.adamwGroups, .sgdGroups, .adamAmsgrad])
    func resumingContinuesExactlyLikeAnUninterruptedRun(_ config: ParityConfig) throws {
        let f = try OptimFixture()
        let names = ["a.weight", "a.bias", "b.weight"]
        let straight = try f.initialParameters()
        let uninterrupted = try config.makeOptimizer(straight)
        try f.run(uninterrupted, config, parameters: straight, steps: 0..<10)

        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("checkpoint.safetensors")
            do {
                let parameters = try f.initialParameters()
                let optimizer = try config.makeOptimizer(parameters)
                try f.run(optimizer, config, parameters: parameters, steps: 0..<5)
                let model = Dictionary(uniqueKeysWithValues: zip(names, parameters))
                try Checkpoint(step: 5, model: model, optimizer: optimizer).save(to: url)
            }
            // A new process would start here: everything comes from the file.
            let checkpoint = try Checkpoint.load(url)
            let parameters = try names.map { name in
                try #require(checkpoint.model[name]).copied().requiringGrad()
            }
            let optimizer = try config.makeOptimizer(parameters)
            try optimizer.loadStateDict(checkpoint.optimizer)
            try f.run(optimizer, config, parameters: parameters, steps: checkpoint.step..<10)

            for (j, parameter) in parameters.enumerated() {
                #expect(parameter.isEqual(to: straight[j]), "\(config.rawValue) parameter \(j) after resume")
            }
            expectSameTensors(optimizer.stateDict(), uninterrupted.stateDict(), "\(config.rawValue) optimizer state")
        }
    }

    @Test func truncatedFilesGiveErrorsNamingTheFile() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("checkpoint.safetensors")
            try sampleCheckpoint().save(to: url)
            let bytes = try Data(contentsOf: url)
            let headerEnd = 8 + Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            let damaged = folder.appendingPathComponent("damaged.safetensors")
            for length in [0, 3, 8, 9, headerEnd / 2, headerEnd - 1, headerEnd, headerEnd + 5, bytes.count - 1] {
                try bytes.prefix(length).write(to: damaged)
                #expect(throws: CheckpointError.self, "truncated to \(length) bytes") {
                    try Checkpoint.load(damaged)
                }
                do throws(CheckpointError) {
                    _ = try Checkpoint.load(damaged)
                } catch {
                    #expect(error.description.contains(damaged.path), "\(error)")
                }
            }
        }
    }

    /// Every header byte flipped in two ways: all bits (never valid UTF-8 JSON any more, so always
    /// detected) and the lowest bit (a different ASCII character, which may land in free text and
    /// load): never a crash, and an error always names the file.
    @Test func flippedHeaderBytesNeverCrash() throws {
        try withTemporaryFolder { folder in
            let url = folder.appendingPathComponent("checkpoint.safetensors")
            try sampleCheckpoint().save(to: url)
            let bytes = try Data(contentsOf: url)
            let headerEnd = 8 + Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            var detected = 0
            var loaded = 0
            for position in 0..<headerEnd {
                for mask: UInt8 in [0xFF, 0x01] {
                    var damaged = bytes
                    damaged[position] ^= mask
                    do throws(CheckpointError) {
                        _ = try Checkpoint.decode(damaged, source: url)
                        #expect(mask == 0x01, "all-bit flip at byte \(position) went unnoticed")
                        loaded += 1
                    } catch {
                        #expect(error.description.contains(url.path))
                        detected += 1
                    }
                }
            }
            #expect(detected > loaded * 2, "most flips must be detected (\(detected) detected, \(loaded) loaded)")
        }
    }

    @Test func otherFilesAndVersionsAreRefusedClearly() throws {
        try withTemporaryFolder { folder in
            let missing = folder.appendingPathComponent("nope.safetensors")
            #expect(throws: CheckpointError.self) { try Checkpoint.load(missing) }

            let plain = folder.appendingPathComponent("weights.safetensors")
            try Safetensors.save(Safetensors.Contents(tensors: ["w": Tensor.ones([2])]), to: plain)
            do throws(CheckpointError) {
                _ = try Checkpoint.load(plain)
                Issue.record("plain weights loaded as a checkpoint")
            } catch {
                #expect(error.description.contains("is not a Kinema checkpoint"), "\(error)")
            }

            let future = folder.appendingPathComponent("future.safetensors")
            try Safetensors.save(
                Safetensors.Contents(
                    tensors: ["model.w": Tensor.ones([2])],
                    metadata: ["format": Checkpoint.formatName, "format_version": "2", "step": "1", "epoch": "0"]),
                to: future)
            do throws(CheckpointError) {
                _ = try Checkpoint.load(future)
                Issue.record("a version-2 checkpoint loaded")
            } catch {
                #expect(error.description.contains("format version 2, but this build of Kinema reads version 1"), "\(error)")
                #expect(error.description.contains(future.path))
            }
        }
    }

    @Test func reservedMetadataKeysAreRefused() throws {
        try withTemporaryFolder { folder in
            let checkpoint = Checkpoint(step: 1, model: ["w": Tensor.ones([1])], metadata: ["step": "9"])
            #expect(throws: CheckpointError.self) {
                try checkpoint.save(to: folder.appendingPathComponent("c.safetensors"))
            }
        }
    }
}
