import Foundation
import KinemaMediaTestSupport
import KinemaData
import KinemaModels
import KinemaNN
import KinemaTensor
import KinemaTrain
import Testing

/// Classifiers from everywhere: the checkpoint kinds are told apart, official VideoMAE files load
/// with their size read off the shapes, and every unusable checkpoint is refused with the reason
/// and the fix.
@Suite struct ClassifierCheckpointTests {
    private let clip = Tensor.randn([1, 3, 8, 64, 64], generator: try! Generator(seed: 3))

    @Test func anOfficialFineTuningFileLoadsWithItsSizeReadOffTheShapes() throws {
        let folder = TemporaryFolder()
        let original = try VideoMAECheckpointFiles.model(classes: 5, layerScale: 0.1)
        try VideoMAECheckpointFiles.fineTuning(original, to: folder.file("checkpoint-ft.safetensors"))
        let checkpoint = try ClassifierCheckpoint.load(folder.file("checkpoint-ft.safetensors"))
        #expect(checkpoint.format == "VideoMAE fine-tuning checkpoint" && checkpoint.classes == 5)
        #expect(checkpoint.notes.contains { $0.contains("width 64, 4 blocks, 1 head (assumed 64 channels a head), MLP 256") })
        #expect(checkpoint.classNames == nil && checkpoint.statistics.named == .imagenet)
        #expect(checkpoint.clip.description == "16x224x224", "VideoMAE's input, as the file does not say")
        let vit = try #require(checkpoint.backbone as? VisionTransformer)
        #expect(vit.configuration.layerScale != nil, "gamma_1/gamma_2 in the file: layer scale")
        #expect(withNoGrad { checkpoint.backbone(clip, mode: .eval).isEqual(to: original(clip, mode: .eval)) })
    }

    @Test func theWrongModelSizeIsRefusedListingEveryDifference() throws {
        let folder = TemporaryFolder()
        try VideoMAECheckpointFiles.fineTuning(try VideoMAECheckpointFiles.model(classes: 5), to: folder.file("ft.safetensors"))
        let error = try #require(throws: TrainingRunError.self) {
            try ClassifierCheckpoint.load(folder.file("ft.safetensors"), model: .vitS16)
        }
        let text = "\(error)"
        #expect(text.contains("blocks.0.attn.qkv.weight") && text.contains("[192, 64]") && text.contains("[1152, 384]"), "\(text)")
        #expect(text.contains("blocks.11.") && text.contains("Missing"), "the blocks the checkpoint lacks: \(text)")
        #expect(text.contains("Wrong model size: the tensors have width 64, not 384; blocks 4, not 12"), "\(text)")
    }

    @Test func aPretrainingCheckpointHasNothingToPredictWith() throws {
        let folder = TemporaryFolder()
        try VideoMAECheckpointFiles.pretraining(try VideoMAECheckpointFiles.model(classes: 5), to: folder.file("pt.safetensors"))
        let error = try #require(throws: TrainingRunError.self) { try ClassifierCheckpoint.load(folder.file("pt.safetensors")) }
        #expect("\(error)".contains("VideoMAE pretraining checkpoint") && "\(error)".contains("fine-tune it first"), "\(error)")
    }

    @Test func unusableFilesAreRefusedWithTheFix() throws {
        let folder = TemporaryFolder()
        let model = try VideoMAECheckpointFiles.model(classes: 3)
        try VideoMAECheckpointFiles.huggingFace(model, labels: ["a", "b", "c"], to: folder.file("hub"))
        let cases: [(URL, String)] = [
            (folder.file("hub/model.safetensors"), "load the folder it came from, with its config.json"),
            (folder.file("missing.safetensors"), "no checkpoint, run folder or transformers folder"),
            (folder.file("checkpoint.pth"), "pth_to_safetensors.py"),
            (folder.file("notes.safetensors"), "not a safetensors file"),
        ]
        try Data("PK\u{3}\u{4}".utf8).write(to: folder.file("checkpoint.pth"))
        try Data("hello".utf8).write(to: folder.file("notes.safetensors"))
        for (url, fix) in cases {
            let error = try #require(throws: TrainingRunError.self) { try ClassifierCheckpoint.load(url) }
            #expect("\(error)".contains(url.path) && "\(error)".contains(fix), "\(error)")
        }
        // The folder itself loads, with its names and without a processor config ImageNet's statistics.
        let hub = try ClassifierCheckpoint.load(folder.file("hub"))
        #expect(hub.classNames == ["a", "b", "c"] && hub.statistics.named == .imagenet)
        #expect(hub.notes.contains { $0.contains("no preprocessor_config.json") })
        #expect(withNoGrad { hub.backbone(clip, mode: .eval).isClose(to: model(clip, mode: .eval), rtol: 1e-4, atol: 1e-5) },
                "transformers' epsilon 1e-12 against 1e-6: a difference far below the tolerance")
    }

    @Test func aProcessorConfigSetsTheStatisticsCropAndShortSide() throws {
        let folder = TemporaryFolder()
        try VideoMAECheckpointFiles.huggingFace(try VideoMAECheckpointFiles.model(classes: 3), labels: ["a", "b"], to: folder.url)
        // transformers' processor default (0.5, 0.5), rescaled by 1/127.5 instead of 1/255.
        let processor = #"{"image_mean": 0.5, "image_std": [0.5, 0.25, 0.5], "rescale_factor": 0.00784313725490196, "size": {"shortest_edge": 72}, "crop_size": {"height": 64, "width": 64}}"#
        try Data(processor.utf8).write(to: folder.file("preprocessor_config.json"))
        let checkpoint = try ClassifierCheckpoint.load(folder.url)
        // x/127.5 − 0.5 over 0.5 is (x/255 − 0.25) / 0.25.
        #expect(checkpoint.statistics == InputStatistics(mean: [0.25, 0.25, 0.25], std: [0.25, 0.125, 0.25]))
        #expect(checkpoint.statistics.named == nil)
        #expect(checkpoint.settings.views == TestViews(clips: 1, crops: 1, shortSide: 72, cropSize: 64))
        #expect(checkpoint.settings.sampling.frames == 8 && checkpoint.settings.sampling.stride == 4)
        #expect(checkpoint.classNames == nil && checkpoint.notes.contains { $0.contains("2 names for 3 classes") })
    }
}
