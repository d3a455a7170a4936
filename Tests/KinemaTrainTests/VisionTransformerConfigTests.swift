import KinemaTrain
import Testing

/// A ViT cuts clips into whole 2×16×16 tubes: a fine-tuning config whose clips do not divide is
/// refused before anything runs, naming the keys to change.
@Suite struct VisionTransformerConfigTests {
    private let dataset = ["data.videos=/data/v", "data.splits=/data/s", "model.name=vit_s_16_tiny"]

    @Test func clipsThatDivideIntoTubesAreAccepted() throws {
        _ = try FineTuneConfig.resolve(overrides: dataset + ["data.frames=8", "data.cropSize=64"]).validated()
        _ = try FineTuneConfig.resolve(overrides: dataset + ["data.frames=16", "data.cropSize=112"]).validated()
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
