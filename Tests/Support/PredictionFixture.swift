import Foundation
import KinemaFixtureSupport
import KinemaTensor
import Testing

/// transformers' prediction for a small VideoMAE classifier folder and a lossless clip
/// (Tools/fixtures/gen_predict.py): what `kinema predict` must reproduce, in the library
/// (KinemaTrainTests) and through the command line (KinemaCLITests).
public struct PredictionFixture {
    /// The transformers folder (config.json, model.safetensors, preprocessor_config.json).
    public static let folder = FixtureProvenance.directory.appendingPathComponent("predict/videomae")
    /// 16 RGB frames of 64², FFV1 in AVI.
    public static let clip = FixtureProvenance.directory.appendingPathComponent("predict/clip.avi")

    /// The clip's pixels as transformers saw them, `[T, H, W, RGB]` bytes.
    public let pixels: [UInt8]
    /// The five most probable classes, best first.
    public let top5: [Int]
    /// Every class's probability: transformers in float64 (the exact answer for the float32
    /// weights and pixels) and in float32.
    public let probabilities64: [Double]
    public let probabilities32: [Double]
    /// The largest |logit|, which scales the logits' rounding error.
    public let largestLogit: Double
    /// config.json's id2label, by index.
    public let labels: [String]

    public init(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try fixture("predict", sourceLocation: sourceLocation)
        pixels = try file.tensor("clip").array(of: UInt8.self)
        top5 = try file.tensor("top5").array(of: Int64.self).map(Int.init)
        probabilities64 = try file.tensor("probabilities64").array(of: Double.self)
        probabilities32 = try file.tensor("probabilities32").to(.float64).array(of: Double.self)
        largestLogit = try file.tensor("logits64").abs().max().item(Double.self)
        let config = try Data(contentsOf: Self.folder.appendingPathComponent("config.json"))
        let id2label = (try JSONSerialization.jsonObject(with: config) as? [String: Any])?["id2label"] as? [String: String] ?? [:]
        labels = (0..<id2label.count).map { id2label[String($0)] ?? "" }
    }

    /// How far a float32 evaluation of this model may put class `i`'s probability from the exact
    /// (float64) one, from the arithmetic.
    ///
    /// Rounding model (as `Float32Tolerance`'s): a float32 sum of n terms errs by about √n·u of its
    /// terms' scale when the roundings have random signs (u = 2⁻²⁴, the unit roundoff). On the
    /// model's longest chain of dependent sums N = 3232 terms are added up: the tubelet embedding's
    /// 3·2·16·16 = 1536 products; in each of the 2 blocks LayerNorm (64 channels), q/k/v (64), the
    /// attention scores (16 channels a head), softmax and A·V over 128 tokens, the projection (64),
    /// LayerNorm (64), the MLP (64, then 128) — 720 a block; then the mean over 128 tokens, fc_norm
    /// (64) and the head (64). The normalisations keep every stage's scale near its output's, so a
    /// logit errs by about u·√N·Z, Z the largest |logit|. Two float32 implementations that sum in
    /// different orders (and normalise pixels in one step or two) may err in opposite directions:
    /// allowing twice that sum, δz = 4·u·√N·Z (≈ 2.3e-5 here). Softmax moves a probability by
    /// |δp_i| = |p_i·(δz_i − Σ_j p_j·δz_j)| ≤ 2·p_i·δz: at most ≈ 1.7e-5 for the best class, well
    /// under 1e-4. transformers' own float32 result must meet it too.
    public func tolerance(_ i: Int) -> Double {
        let block = [64, 64, 16, 128, 128, 64, 64, 64, 128].reduce(0, +)
        let chain = Double(1536 + 2 * block + 128 + 64 + 64)
        let logitError = 4 * pow(2, -24) * chain.squareRoot() * largestLogit
        return 2 * probabilities64[i] * logitError
    }
}
