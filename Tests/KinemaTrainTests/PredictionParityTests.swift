import Foundation
import KinemaTestSupport
import KinemaTrain
import KinemaVideo
import Testing

/// Issue 10's "Done means": predicting with a transformers VideoMAE classifier folder on a clip
/// at the model's input size gives transformers' top five and probabilities
/// (Tools/fixtures/gen_predict.py; the tolerance is derived in ``PredictionFixture/tolerance(_:)``).
@Suite struct PredictionParityTests {
    @Test func theLosslessClipDecodesToThePixelsTransformersSaw() throws {
        let expected = try PredictionFixture()
        let frames = try VideoReader(PredictionFixture.clip).remainingFrames()
        #expect(frames.count == 16 && frames.allSatisfy { $0.width == 64 && $0.height == 64 && $0.format == .rgb })
        #expect(frames.flatMap(\.pixels) == expected.pixels, "FFV1 must decode bit for bit: otherwise the comparison below is void")
    }

    @Test func aHuggingFaceFolderPredictsTransformersTopFiveAndProbabilities() throws {
        let expected = try PredictionFixture()
        let checkpoint = try ClassifierCheckpoint.load(PredictionFixture.folder)
        #expect(checkpoint.classNames == expected.labels, "class names from config.json's id2label")
        #expect(checkpoint.statistics.named == .imagenet, "statistics from preprocessor_config.json")
        #expect(checkpoint.clip.description == "16x64x64")
        // A clip of exactly the model's 16 frames: stride 1 (VideoMAE's default 4 would need 61).
        var settings = checkpoint.settings
        settings.sampling.stride = 1
        let result = try Prediction.classify(PredictionFixture.clip, with: checkpoint, settings: settings)

        #expect(result.frames == 16 && result.views == 1)
        #expect(result.top.map(\.index) == expected.top5)
        #expect(result.top.map(\.name) == expected.top5.map { expected.labels[$0] })
        for score in result.top {
            let exact = expected.probabilities64[score.index]
            let tolerance = expected.tolerance(score.index)
            #expect(abs(score.probability - exact) <= tolerance, "\(score.name): \(score.probability) vs \(exact) (± \(tolerance))")
            #expect(abs(expected.probabilities32[score.index] - exact) <= tolerance, "transformers' float32 breaks the rounding model")
        }
        // Measured (x86-64, AVX2): 7.5e-8 from float64 and 3.0e-8 from transformers' float32 (4.5e-8 each with
        // KINEMA_ONEDNN=0; transformers' float32 is 6.0e-8 from float64), against 2.9e-6 … 1.7e-5 allowed.
    }
}
