import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaTensor
import KinemaTrain
import Testing

/// `kinema evaluate`/`features` on checkpoints from outside Kinema: the settings come from the
/// checkpoint (its clip, VideoMAE's sampling and test views), the dataset from the user, and the
/// evaluation agrees with `kinema predict` on the same view.
@Suite(.serialized) struct OutsideCheckpointEvaluationTests {
    private let dataset = ["data.videos=\(TinyMotionSet.videos.path)", "data.splits=\(TinyMotionSet.splits.path)"]

    @Test func aTransformersClassifierIsTestedWithItsOwnClipAndVideoMAEsViews() throws {
        let folder = TemporaryFolder()
        let model = try VideoMAECheckpointFiles.model(classes: TinyMotionVideos.classes.count)
        try VideoMAECheckpointFiles.huggingFace(model, labels: TinyMotionVideos.classes, to: folder.file("hub"))
        let checkpoint = try ClassifierCheckpoint.load(folder.file("hub"))
        #expect(checkpoint.kinema == nil && checkpoint.outputFolder == folder.file("hub"))

        let config = try FineTuneConfig.resolve(for: checkpoint, file: nil, overrides: dataset, requireFineTuned: true)
        // config.json says 8 frames of 64²; no processor config: ImageNet statistics, no resize.
        #expect(config.data.frames == 8 && config.data.stride == 4 && config.data.targetFPS == 0)
        #expect(config.data.testPlacement == TestClipPlacement.evenlySpaced.rawValue)
        #expect(config.data.cropSize == 64 && config.data.testShortSide == 64)
        #expect(config.data.testClips == 5 && config.data.testCrops == 3, "VideoMAE's Kinetics test views")
        #expect(config.data.inputNormalization == .imagenet)

        let error = try #require(throws: ConfigError.self) {
            try FineTuneConfig.resolve(
                for: checkpoint, file: nil, overrides: dataset + ["data.normalization=kinetics"], requireFineTuned: true)
        }
        #expect("\(error)".contains("imagenet-normalised"), "\(error)")

        // One test video, one view: the evaluation's scores are the prediction's.
        let small = ["data.frames=4", "data.stride=2", "data.cropSize=32", "data.testShortSide=36", "data.testClips=1", "data.testCrops=1"]
        let single = try FineTuneConfig.resolve(for: checkpoint, file: nil, overrides: dataset + small, requireFineTuned: true)
        let test = try single.data.testDataset()
        let evaluation = try Evaluation.run(
            checkpoint.backbone, on: test, videos: [4], loader: try single.data.loader(), input: ClipInput(statistics: checkpoint.statistics))
        let settings = PredictionSettings(sampling: single.data.sampling, views: single.data.testViews(), control: .none)
        let prediction = try Prediction.classify(test[4].url, with: checkpoint, settings: settings, top: 3)
        #expect(prediction.top.map(\.index) == evaluation.predictions[0].top.prefix(3).map { $0 })
        for score in prediction.top {
            #expect(abs(score.probability - evaluation.predictions[0].scores[score.index]) < 1e-6)
            #expect(score.name == TinyMotionVideos.classes[score.index], "id2label names")
        }
    }

    @Test func aPretrainingCheckpointLoadsForItsFeaturesOnly() throws {
        let folder = TemporaryFolder()
        let model = try VideoMAECheckpointFiles.model(classes: 5)
        try VideoMAECheckpointFiles.pretraining(model, to: folder.file("pt.safetensors"))
        #expect(throws: TrainingRunError.self) { try ClassifierCheckpoint.load(folder.file("pt.safetensors")) }

        let checkpoint = try ClassifierCheckpoint.load(folder.file("pt.safetensors"), requireClassifier: false)
        #expect(checkpoint.notes.contains { $0.contains("no classifier") }, "\(checkpoint.notes)")
        #expect(checkpoint.outputFolder.standardizedFileURL.path == folder.url.standardizedFileURL.path)
        let vit = try #require(checkpoint.backbone as? VisionTransformer)
        let clip = Tensor.randn([1, 3, 8, 32, 32], generator: try Generator(seed: 5))
        #expect(withNoGrad { vit.featureMap(clip, mode: .eval).isEqual(to: model.featureMap(clip, mode: .eval)) }, "the encoder, exactly")
        let config = try FineTuneConfig.resolve(for: checkpoint, file: nil, overrides: dataset, requireFineTuned: false)
        #expect(config.data.frames == 16 && config.data.cropSize == 224, "VideoMAE's clip, as the file does not say")
    }
}
