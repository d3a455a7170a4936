import KinemaData
import KinemaTrain
import Testing

/// A ViT cuts clips into whole 2×16×16 tubes: a fine-tuning config whose clips do not divide is
/// refused before anything runs, naming the keys to change. The keys of VideoMAE's recipe are
/// checked the same way.
@Suite struct VisionTransformerConfigTests {
    private let dataset = ["data.videos=/data/v", "data.splits=/data/s", "model.name=vit_s_16_tiny"]

    @Test func clipsThatDivideIntoTubesAreAccepted() throws {
        _ = try FineTuneConfig.resolve(overrides: dataset + ["data.frames=8", "data.cropSize=64"]).validated()
        _ = try FineTuneConfig.resolve(overrides: dataset + ["data.frames=16", "data.cropSize=112"]).validated()
    }

    /// Every problem of `settings`, expecting one naming `key` and containing `words`.
    private func expectProblem(_ settings: [String], _ key: String, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ConfigError.self, sourceLocation: sourceLocation) {
            try FineTuneConfig.resolve(overrides: dataset + settings).validated()
        }
        #expect(
            error?.problems.contains { $0.hasPrefix(key + ":") && $0.contains(words) } == true, "\(settings): \(error?.problems ?? [])",
            sourceLocation: sourceLocation)
    }

    @Test func videoMAEsRecipeValidates() throws {
        let config = try FineTuneConfig.resolve(overrides: dataset + [
            "data.frames=8", "data.cropSize=64", "data.randAugment=rand-m7-n4-mstd0.5-inc1", "data.randomErasing=0.25",
            "data.randomErasingMode=frame", "data.repeatedAugmentation=2", "data.batchSize=8", "model.dropPath=0.1",
            "model.headInitScale=0.001", "model.linearProbe=true", "model.freezeClassifierNorm=true",
        ]).validated()
        #expect(config.data.augmentation.randAugment == RandAugment(magnitude: 7, operations: 4, magnitudeStd: 0.5, increasing: true))
        #expect(config.data.erasing == RandomErasing(probability: 0.25, mode: .frame))
        #expect(config.data.videosPerStep == 4)
        #expect(FineTuneConfig().data.erasing == nil && FineTuneConfig().data.augmentation.randAugment == nil, "off by default")
    }

    @Test func badRecipeValuesAreRefusedWithTheirKeys() {
        let vit = ["data.frames=8", "data.cropSize=64"]
        expectProblem(vit + ["data.randAugment=rand-m7-q2"], "data.randAugment", "unknown section 'q2'")
        expectProblem(vit + ["data.randAugment=m7"], "data.randAugment", "must start with 'rand'")
        expectProblem(vit + ["data.randomErasing=1.5"], "data.randomErasing", "probability")
        expectProblem(vit + ["data.randomErasingMode=cube"], "data.randomErasingMode", "got 'cube'")
        expectProblem(vit + ["data.repeatedAugmentation=3", "data.batchSize=8"], "data.repeatedAugmentation", "divide batchSize (8)")
        expectProblem(vit + ["data.repeatedAugmentation=0"], "data.repeatedAugmentation", "must be ≥ 1")
        expectProblem(vit + ["model.dropPath=1"], "model.dropPath", "[0, 1)")
        expectProblem(vit + ["model.headInitScale=0"], "model.headInitScale", "positive")
        expectProblem(vit + ["model.freezeClassifierNorm=true"], "model.freezeClassifierNorm", "model.linearProbe=true")
        // The ViT-only keys on a CNN.
        let cnn = ["model.name=r3d_18_tiny", "model.linearProbe=true"]
        expectProblem(cnn + ["model.dropPath=0.1"], "model.dropPath", "vision transformers only; r3d_18_tiny is a CNN")
        expectProblem(cnn + ["model.headInitScale=0.001"], "model.headInitScale", "vision transformers only")
        expectProblem(cnn + ["model.freezeClassifierNorm=true"], "model.freezeClassifierNorm", "vision transformers only")
        expectProblem(cnn + ["model.checkpointBlocks=true"], "model.checkpointBlocks", "vision transformers only")
    }

    @Test func clipsThatDoNotAreRefusedWithTheKeys() {
        for settings in [["data.frames=7", "data.cropSize=64"], ["data.frames=8", "data.cropSize=100"]] {
            let error = #expect(throws: ConfigError.self) { try FineTuneConfig.resolve(overrides: dataset + settings).validated() }
            #expect(
                error?.problems.contains { $0.contains("data.cropSize") && $0.contains("cannot be cut into 2×16×16 tubes") } == true,
                "\(settings): \(error?.problems ?? [])")
        }
    }
}
