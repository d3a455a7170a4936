import Foundation
import KinemaMediaTestSupport
import KinemaModels
import KinemaNN
import KinemaTensor
import KinemaTrain
import Testing

/// Fine-tuning a ViT from VideoMAE checkpoints users have (model.pretrained): the encoder loads
/// strictly, the new classifier keeps its own initialisation, and a checkpoint that does not fit is
/// refused before training with every difference and the fix.
@Suite struct PretrainedVideoMAETests {
    /// The model fine-tuning builds for 3 classes from `name` at width 64 (its own seed).
    private func fresh(_ name: ModelName = .vitS16Tiny, width: Int = 64) throws -> VisionTransformer {
        try #require(try name.make(ParameterStore(generator: try Generator(seed: 99)).root, classes: 3, width: width) as? VisionTransformer)
    }

    private func expectEqual(_ model: VisionTransformer, _ source: VisionTransformer, where keep: (String) -> Bool, _ what: Comment) {
        let (own, other) = (model.stateDict(), source.stateDict())
        for (name, tensor) in own where keep(name) {
            #expect(tensor.isEqual(to: other[name]!), "\(what): \(name)")
        }
    }

    @Test func aTransformersFolderStartsTheEncoderAndFcNorm() throws {
        let folder = TemporaryFolder()
        let pretrained = try VideoMAECheckpointFiles.model(classes: 400)
        try VideoMAECheckpointFiles.huggingFace(pretrained, labels: (0..<400).map { "k\($0)" }, to: folder.url)
        let model = try fresh()
        let head = model.stateDict()["head.weight"]!.copied()
        let weights = try model.loadPretrained(from: folder.url, name: .vitS16Tiny, width: 64, normalization: .imagenet)
        #expect(weights.format == "transformers VideoMAE folder" && weights.kinema == nil)
        #expect(weights.notes.contains { $0.contains("epsilons are 1e-12 (blocks) and 1e-05 (fc_norm)") }, "\(weights.notes)")
        expectEqual(model, pretrained, where: { !$0.hasPrefix("head.") }, "loaded from the folder")
        #expect(model.stateDict()["head.weight"]!.isEqual(to: head), "the 3-way head keeps its initialisation")
    }

    @Test func anOfficialPretrainingCheckpointStartsTheEncoderOnly() throws {
        let folder = TemporaryFolder()
        let pretrained = try VideoMAECheckpointFiles.model(classes: 5)
        try VideoMAECheckpointFiles.pretraining(pretrained, to: folder.file("checkpoint-1599.safetensors"))
        let model = try fresh()
        let initial = model.stateDict().mapValues { $0.copied() }
        let weights = try model.loadPretrained(
            from: folder.file("checkpoint-1599.safetensors"), name: .vitS16Tiny, width: 64, normalization: .imagenet)
        #expect(weights.format == "VideoMAE pretraining checkpoint")
        expectEqual(model, pretrained, where: { $0.hasPrefix("blocks.") || $0.hasPrefix("patch_embed.") }, "the encoder")
        for name in ["head.weight", "head.bias", "fc_norm.weight", "fc_norm.bias"] {
            #expect(model.stateDict()[name]!.isEqual(to: initial[name]!), "\(name) starts fresh, as in VideoMAE's fine-tuning")
        }
    }

    @Test func aCheckpointThatDoesNotFitIsRefusedWithTheFix() throws {
        let folder = TemporaryFolder()
        try VideoMAECheckpointFiles.huggingFace(try VideoMAECheckpointFiles.model(classes: 3), labels: ["a", "b", "c"], to: folder.url)
        // Another width: every difference, and the size the tensors have.
        let wide = try fresh(width: 128)
        var error = try #require(throws: TrainingRunError.self) {
            try wide.loadPretrained(from: folder.url, name: .vitS16Tiny, width: 128, normalization: .imagenet)
        }
        #expect("\(error)".contains("size mismatch for patch_embed.proj.weight") && "\(error)".contains("width 64, not 128"), "\(error)")
        // Other statistics than VideoMAE's.
        error = try #require(throws: TrainingRunError.self) {
            try fresh().loadPretrained(from: folder.url, name: .vitS16Tiny, width: 64, normalization: .kinetics)
        }
        #expect("\(error)".contains("--set data.normalization=imagenet"), "\(error)")
        // A CNN cannot start from a ViT.
        let cnn = try ModelName.r3d18Tiny.make(ParameterStore().root, classes: 3)
        error = try #require(throws: TrainingRunError.self) {
            try cnn.loadPretrained(from: folder.url, name: .r3d18Tiny, width: 8, normalization: .imagenet)
        }
        #expect("\(error)".contains("set model.name to a vit_* model"), "\(error)")
    }
}
