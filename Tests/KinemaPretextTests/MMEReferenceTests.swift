import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaTensor
import KinemaTestSupport
import KinemaVideo
import Testing

/// MME's targets on a real clip against the independent numpy reference of
/// Tools/fixtures/gen_mme.py (carphone.mp4, 4 frames at stride 2, a 64² crop resized to 48²), both
/// tracking the same stored Farnebäck flow.
///
/// Tolerances: the reference tracks in float64, Kinema in float32 (positions < 64 px: ulp 4e-6 px;
/// a few operations per step; the smooth Farnebäck field amplifies a position error by at most
/// 1 + |∇flow| per step over L = 6 steps), so positions and displacements agree to 1e-3 px. A
/// normalised value `z = (v − m)/σ` moves by at most `(2 + |z|)·δ/σ` when v, m and σ move by δ;
/// groups with σ < 2e-3 px sit at the 1e-3 px rigid-motion floor, where the two sides may decide
/// differently, and are skipped. No tracked point lies within 2e-3 px of a half pixel, so the
/// trajectory-aligned HOG windows (at rounded points) are the same pixels: histograms are sums of
/// the same votes (rtol 1e-9, plus float32 gradients: 1e-6).
@Suite struct MMEReferenceTests {
    let fixture: Safetensors.Contents
    let frames: [Image]
    let flow: FixtureFlow

    init() throws {
        fixture = try KinemaTestSupport.fixture("mme")
        frames = try VideoReader(try TestData.url("videos/carphone.mp4")).frames(at: Array(0..<11))
        let flows = try fixture.tensor("flows").to(.float32).array(of: Float.self)
        let size = 64 * 64 * 2
        var byCrop: [[UInt8]: FlowField] = [:]
        for i in 0..<10 {
            let crop = try frames[i].cropped(x: 56, y: 40, width: 64, height: 64)
            byCrop[crop.pixels] = FlowField(width: 64, height: 64, vectors: Array(flows[(i * size)..<((i + 1) * size)]))
        }
        flow = FixtureFlow(byCrop)
    }

    /// The stored flow of the pair whose first frame is `first`.
    final class FixtureFlow: OpticalFlow {
        let flows: [[UInt8]: FlowField]
        init(_ flows: [[UInt8]: FlowField]) { self.flows = flows }
        func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
            guard let flow = flows[first.pixels] else { throw MotionError("fixture flow", .invalidParameter("no stored flow starts on this frame")) }
            return flow
        }
    }

    func targets(_ adjust: (inout MMETargetConfiguration) -> Void) throws -> MMETargets {
        var c = MMETargetConfiguration()
        c.removeCameraMotion = false
        adjust(&c)
        return try MMETargetComputer(c, flow: flow).targets(
            rawFrames: frames, clipFrames: 4, stride: 2,
            transform: ClipTransform(crop: CropBox(x: 56, y: 40, width: 64, height: 64), outputSize: 48))
    }

    func values(_ name: String) throws -> [Double] { try fixture.tensor(name).to(.float64).array(of: Double.self) }

    @Test func decoderGivesTheReferencesPixels() throws {
        let sums = try values("frames.sums")
        for (i, frame) in frames.enumerated() {
            let plain = frame.pixels.reduce(0) { $0 + Int($1) }
            let weighted = frame.pixels.enumerated().reduce(0) { $0 + Int($1.element) * ($1.offset % 251) }
            #expect(Double(plain) == sums[2 * i] && Double(weighted) == sums[2 * i + 1],
                    "frame \(i) decodes differently from OpenCV-Python's FFmpeg: the comparisons below would not be like for like")
        }
    }

    @Test(arguments: ["paper", "released"])
    func rawTracksAndHOGMatchTheReference(variant: String) throws {
        let t = try targets { c in
            if variant == "released" { c = .released; c.removeCameraMotion = false }
            c.trajectoryNormalization = .none
            c.hogPatchNorm = false
        }
        let positions = t.tracks.flatMap(\.positions)
        expectClose(Tensor(positions, shape: [positions.count]), try fixture.tensor("\(variant).positions").reshaped([-1]).to(.float32),
                    rtol: 0, atol: 1e-3, "\(variant) positions")
        expectClose(Tensor(t.trajectory), try fixture.tensor("\(variant).raw").reshaped([-1]).to(.float32), rtol: 0, atol: 1e-3,
                    "\(variant) displacements")
        let (rtol, atol) = variant == "paper" ? (1e-6, 1e-6) : (1e-4, 2e-5)  // released: float32 Sobel HOG in both, atan2 ulps
        expectClose(Tensor(t.shape), try fixture.tensor("\(variant).hog_raw").reshaped([-1]).to(.float32), rtol: rtol, atol: atol, "\(variant) HOG")
        #expect(t.valid == (try values("\(variant).valid")).map { $0 != 0 })
    }

    @Test(arguments: ["paper", "released"])
    func normalisedTargetsMatchTheReferenceWithinTheirConditioning(variant: String) throws {
        let t = try targets { c in
            if variant == "released" { c = .released; c.removeCameraMotion = false }
        }
        let (raw, expected) = (try values("\(variant).raw"), try values("\(variant).trajectory"))
        let channels = t.trajectoryChannels, perPoint = channels / 4
        // The groups each value was standardised in: the whole token (paper) or one (coordinate,
        // step) over the K points (released PatchStd).
        func group(_ i: Int) -> [Int] {
            let token = i / channels * channels
            return variant == "paper" ? Array(token..<(token + channels)) : (0..<4).map { token + $0 * perPoint + i % perPoint }
        }
        var (checked, skipped, failures) = (0, 0, [String]())
        for i in expected.indices {
            let members = group(i).map { raw[$0] }
            let mean = members.reduce(0, +) / Double(members.count)
            let sigma = (members.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(members.count - 1)).squareRoot()
            guard sigma >= 2e-3 || sigma < 5e-4 else { skipped += 1; continue }
            let allowed = sigma < 5e-4 ? 0 : (2 + abs(expected[i])) * 1e-3 / sigma + 1e-5
            if abs(Double(t.trajectory[i]) - expected[i]) > allowed { failures.append("\(i): \(t.trajectory[i]) vs \(expected[i])") }
            checked += 1
        }
        #expect(failures.count == 0, "values off: \(failures.prefix(5))")
        #expect(checked > expected.count * 9 / 10, "only \(checked) of \(expected.count) values well conditioned (\(skipped) skipped)")
        if variant == "paper" {
            expectClose(Tensor(t.shape), try fixture.tensor("paper.hog").reshaped([-1]).to(.float32), rtol: 0, atol: 1e-4, "paper HOG, patch-normalised")
            let all = try targets { $0.validity = .allPoints }
            #expect(all.valid == (try values("paper.valid_all")).map { $0 != 0 })
        }
    }
}
