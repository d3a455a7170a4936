import KinemaMediaTestSupport
import KinemaMotion
import KinemaTrain
import KinemaVideo
import Testing

/// The baselines of CGM-Net's Table 1 on a real photo moved by known integer shifts: the warp
/// direction, constant-velocity extrapolation, and the copy baseline on a still clip.
@Suite struct CGMBaselineTests {
    static let side = 112

    /// Frame k of a clip whose content moves by (dx, dy) px a frame: the photo's window at
    /// (x0 − k·dx, y0 − k·dy), so `frame[k](x, y) = frame[0](x − k·dx, y − k·dy)`.
    static func movingClip(frames: Int, dx: Int, dy: Int) throws -> [Image] {
        let photo = try TestData.photo("astronaut")
        return try (0..<frames).map { k in
            try photo.cropped(x: 200 - k * dx, y: 150 - k * dy, width: side, height: side)
        }
    }

    /// The mean |a − b| (8-bit levels) over the pixels with `x ≥ x0, y ≥ y0, x < x1, y < y1`.
    static func meanDifference(_ a: Image, _ b: Image, inside r: (x0: Int, y0: Int, x1: Int, y1: Int)) -> Double {
        var sum = 0, n = 0
        for y in r.y0..<r.y1 {
            for x in r.x0..<r.x1 {
                for c in 0..<3 { sum += abs(Int(a.pixel(x: x, y: y)[c]) - Int(b.pixel(x: x, y: y)[c])) }
                n += 3
            }
        }
        return Double(sum) / Double(n)
    }

    @Test func backwardWarpByTheFlowFromTPlusOneToTRebuildsTPlusOne() throws {
        let (dx, dy) = (3, 2)
        let clip = try Self.movingClip(frames: 2, dx: dx, dy: dy)
        // frame[1](x) = frame[0](x − d): the flow from t+1 to t is −d everywhere.
        let backward = FlowField(width: Self.side, height: Self.side, u: Float(-dx), v: Float(-dy))
        let warped = try clip[0].warped(by: backward)
        // Where x − d is inside frame 0, the warp is exact.
        let valid = (x0: dx, y0: dy, x1: Self.side, y1: Self.side)
        #expect(Self.meanDifference(warped, clip[1], inside: valid) == 0)
        #expect(Self.meanDifference(clip[0], clip[1], inside: valid) > 5, "the shift must change the frame")
        // The flow the other way (t to t+1) moves the content backwards.
        let wrong = try clip[0].warped(by: FlowField(width: Self.side, height: Self.side, u: Float(dx), v: Float(dy)))
        #expect(Self.meanDifference(wrong, clip[1], inside: (dx, dy, Self.side - dx, Self.side - dy)) > 5)
    }

    @Test func flowBaselineRebuildsSeenFramesAndExtrapolatesAConstantVelocity() throws {
        let (dx, dy) = (3, 2)
        let clip = try Self.movingClip(frames: 4, dx: dx, dy: dy)
        let flow = try FlowReconstructor(named: "dis-medium")
        let result = try flow.reconstruct(clip: Array(clip.prefix(3)))
        #expect(result.seen.count == 2)
        // Away from the border the flow is found (interior of at least 8 px + the shift).
        let interior = (x0: 8 + 2 * dx, y0: 8 + 2 * dy, x1: Self.side - 8, y1: Self.side - 8)
        let copied = Self.meanDifference(clip[1], clip[2], inside: interior)
        for t in 0..<2 {
            let error = Self.meanDifference(result.seen[t], clip[t + 1], inside: interior)
            #expect(error < 0.1 * copied, "seen[\(t)]: \(error) levels vs \(copied) for a copy")
        }
        let predicted = Self.meanDifference(result.next, clip[3], inside: interior)
        #expect(predicted < 0.1 * copied, "next: \(predicted) levels vs \(copied) for a copy")
        // The whole-frame scores of the harness agree: the flow row beats the copy row.
        let score = try CGMMotionEvaluation.score(flow, on: clip)
        let copy = try CGMMotionEvaluation.score(CopyReconstructor(), on: clip)
        #expect(score.l1 < copy.l1 / 2 && score.psnr > copy.psnr + 6 && score.ssim > copy.ssim, "\(score) vs \(copy)")
    }

    @Test func copyOnAStillClipIsExactAndItsPSNRIsCapped() throws {
        let frame = try Self.movingClip(frames: 1, dx: 0, dy: 0)[0]
        let still = [Image](repeating: frame, count: 5)
        let score = try CGMMotionEvaluation.score(CopyReconstructor(), on: still)
        #expect(score.l1 == 0 && score.psnr == CGMMotionEvaluation.psnrCap && score.ssim == 1 && score.exact, "\(score)")
        // A flow method on a still clip finds zero flow: the warp is the frame itself.
        let flow = try CGMMotionEvaluation.score(FlowReconstructor(named: "dis-fast"), on: still)
        #expect(flow.exact && flow.l1 == 0, "\(flow)")
    }

    @Test func tooShortClipsAndUnknownMethodsAreRefused() throws {
        let frame = try Self.movingClip(frames: 1, dx: 0, dy: 0)[0]
        #expect(throws: TrainingRunError.self) { try CopyReconstructor().reconstruct(clip: [frame]) }
        #expect(throws: TrainingRunError.self) { try FlowReconstructor(named: "dis-fast").reconstruct(clip: [frame]) }
        for clip in [[], [frame], [frame, frame]] {
            #expect(throws: TrainingRunError.self) { try CGMMotionEvaluation.score(CopyReconstructor(), on: clip) }
        }
        let error = #expect(throws: MotionError.self) { try FlowReconstructor(named: "raft") }
        #expect(error?.description.contains("dis-fast") == true, "\(String(describing: error))")
    }
}
