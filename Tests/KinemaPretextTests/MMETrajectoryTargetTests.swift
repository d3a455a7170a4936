import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaVideo
import Testing

/// MME's position-change targets (Eq. 4, 6, 7) against motions known exactly: a real photo moved by
/// a known translation, zoom or rotation, its flow given analytically.
///
/// Tolerances: positions are float32 values up to ~100 px (ulp ≈ 8e-6 px) moved by a few float32
/// operations per step, so exact answers hold to 1e-4 px; a wrong scale, a missing resize factor or
/// an off-by-half-pixel mapping is ≥ 0.1 px off.
@Suite struct MMETrajectoryTargetTests {
    static let photo = try! TestData.photo("astronaut", width: 400, height: 400)
    // 4 sampled frames at stride 1 → 2 tubelets starting on raw frames 0 and 2; L = 3 needs 6 frames.
    static let (clipFrames, stride) = (4, 1)

    func frames(step: [Double]) throws -> [Image] {
        try MMEFixtures.frames(6, photo: Self.photo, step: step, origin: KnownMotion.translation(-100, -120), width: 160, height: 120)
    }

    func targets(_ c: MMETargetConfiguration, frames: [Image], transform: ClipTransform, flow: any OpticalFlow) throws -> MMETargets {
        try MMETargetComputer(c, flow: flow).targets(rawFrames: frames, clipFrames: Self.clipFrames, stride: Self.stride, transform: transform)
    }

    @Test(arguments: [(96, 96), (96, 64)])
    func exactSubPixelTranslationGivesExactDisplacementsAndZeroPatchStd(side: Int, output: Int) throws {
        let (dx, dy) = (1.3, -0.7)
        let video = try frames(step: KnownMotion.translation(dx, dy))
        let transform = MMEFixtures.transform(x: 16, y: 8, side: side, output: output)
        let flow = KnownFlow { x, y in (x + dx, y + dy) }
        let s = Float(output) / Float(side)
        let raw = try targets(MMEFixtures.configuration { $0.trajectoryNormalization = .none }, frames: video, transform: transform, flow: flow)
        #expect(raw.tokens == 2 * (output / 16) * (output / 16) && raw.trajectoryChannels == 4 * 3 * 2)
        // Values are (point, step, x/y): even indices x, odd y, each the resized step.
        var worst: Float = 0
        for (i, v) in raw.trajectory.enumerated() { worst = max(worst, abs(v - s * Float(i % 2 == 0 ? dx : dy))) }
        #expect(worst < 1e-4, "worst displacement error \(worst) px")
        #expect(raw.valid.allSatisfy { $0 })
        let patchStd = try targets(MMEFixtures.configuration { $0.trajectoryNormalization = .patchStd }, frames: video, transform: transform, flow: flow)
        #expect(patchStd.trajectory.allSatisfy { $0 == 0 }, "a rigidly moving patch has no relative motion")
    }

    @Test func paperPatchNormStandardisesAllOfAPatchsValuesTogether() throws {
        // The paper's normalisation keeps a rigid translation: a patch's K·L·2 = 24 values are dx (12×)
        // and dy (12×), so each becomes ±(dx − dy)/2 over the unbiased deviation √(24/23)·|dx − dy|/2.
        let (dx, dy) = (1.3, -0.7)
        let video = try frames(step: KnownMotion.translation(dx, dy))
        let t = try targets(MMEFixtures.configuration(), frames: video, transform: MMEFixtures.transform(x: 16, y: 8, side: 96, output: 64),
                            flow: KnownFlow { x, y in (x + dx, y + dy) })
        let (sx, sy) = (dx * 2 / 3, dy * 2 / 3)
        let deviation = (24.0 / 23).squareRoot() * abs(sx - sy) / 2
        let expected = [(sx - sy) / 2 / (deviation + 1e-6), (sy - sx) / 2 / (deviation + 1e-6)]
        var worst = 0.0
        for (i, v) in t.trajectory.enumerated() { worst = max(worst, abs(Double(v) - expected[i % 2])) }
        #expect(worst < 1e-4, "worst error \(worst) (expected ±\(expected[0]))")
    }

    @Test func zoomAndRotationGiveTheAnalyticDisplacementField() throws {
        // 1.5° and 2 % zoom about the frame centre per frame; the clip is a 96² crop at (24, 12)
        // resized to 64². Bilinear lookup and the 3 × 3 median reproduce a linear field exactly
        // (the median of a linear function's 3 × 3 values is the centre value), so the tracked points
        // follow H^t exactly, away from the flow frame's replicated border.
        let h = KnownMotion.similarity(degrees: 1.5, scale: 1.02, cx: 80, cy: 60)
        let video = try frames(step: h)
        let (ox, oy, s) = (24.0, 12.0, 64.0 / 96)
        let flow = KnownFlow { x, y in
            let p = KnownMotion.apply(h, x + ox, y + oy)
            return (p.x - ox, p.y - oy)
        }
        let t = try targets(MMEFixtures.configuration { $0.trajectoryNormalization = .none }, frames: video,
                            transform: MMEFixtures.transform(x: 24, y: 12, side: 96, output: 64), flow: flow)
        var (worst, checked) = (0.0, 0)
        for set in t.tracks {
            for n in 0..<set.count {
                let q0 = set.position(n, step: 0)
                var g = ((Double(q0.x) + 0.5) / s - 0.5 + ox, (Double(q0.y) + 0.5) / s - 0.5 + oy)
                var inside = true
                for step in 1...set.length {
                    g = KnownMotion.apply(h, g.0, g.1)
                    let (fx, fy) = (g.0 - ox, g.1 - oy)
                    inside = inside && fx > 2 && fx < 94 && fy > 2 && fy < 94
                    guard inside else { break }
                    let q = set.position(n, step: step)
                    worst = max(worst, abs(Double(q.x) - ((fx + 0.5) * s - 0.5)), abs(Double(q.y) - ((fy + 0.5) * s - 0.5)))
                    checked += 1
                }
            }
        }
        #expect(checked > 300 && worst < 1e-3, "worst position error \(worst) px over \(checked) points")
        // The targets are the tracks' steps, token by token: token 5 of tubelet 1, point 3, step 2.
        let (set, patches) = (t.tracks[1], 4)
        let (token, point, step) = (patches * patches + 5, 3, 2)
        let n = (5 / patches * 2 + point / 2) * set.columns + 5 % patches * 2 + point % 2
        let (a, b) = (set.position(n, step: step), set.position(n, step: step + 1))
        let value = t.trajectory[token * t.trajectoryChannels + (point * 3 + step) * 2]
        #expect(abs(value - (b.x - a.x)) < 1e-6)
    }

    @Test func pointsLeavingTheClipAreFlaggedAndMaskTheirTokens() throws {
        // 6.5 px per frame to the right in a 96² crop resized to 64²: 13 clip px after 3 steps. The
        // points of the last patch column start at x = 52 and 60 and end at 65 and 73 (out of the
        // 64-px clip); the column before starts at 36 and 44 and stays in.
        let video = try frames(step: KnownMotion.translation(6.5, 0))
        let transform = MMEFixtures.transform(x: 0, y: 12, side: 96, output: 64)
        let flow = KnownFlow { x, y in (x + 6.5, y) }
        for validity in MMETargetConfiguration.Validity.allCases {
            let t = try targets(MMEFixtures.configuration { $0.validity = validity }, frames: video, transform: transform, flow: flow)
            for set in t.tracks {
                for n in 0..<set.count {
                    #expect(set.flags[n].contains(.outOfFrame) == (set.position(n, step: 0).x > 50))
                }
            }
            // Both points of a last-column patch row leave: no K trajectories stay, under either rule.
            #expect((0..<t.tokens).allSatisfy { t.valid[$0] == ($0 % 4 < 3) }, "\(validity)")
        }
        // Half a column: 4.5 px per frame → 9 clip px: the x = 60 points leave (69), x = 52 stay (61).
        let half = try frames(step: KnownMotion.translation(4.5, 0))
        let slow = KnownFlow { x, y in (x + 4.5, y) }
        let any = try targets(MMEFixtures.configuration(), frames: half, transform: transform, flow: slow)
        let all = try targets(MMEFixtures.configuration { $0.validity = .allPoints }, frames: half, transform: transform, flow: slow)
        #expect(any.valid.allSatisfy { $0 })
        #expect((0..<all.tokens).allSatisfy { all.valid[$0] == ($0 % 4 < 3) })
    }

    @Test func releasedVariantTracksWholePixelsOfQuantisedFlow() throws {
        // dense_flow codes (bound 20): 1.3 → round(255·21.3/40) = 136 → 1.3333 px, −0.7 → 123 →
        // −0.7059 px; the released tracker casts them to whole pixels: (1, 0) per step.
        let video = try frames(step: KnownMotion.translation(1.3, -0.7))
        let flow = KnownFlow { x, y in (x + 1.3, y - 0.7) }
        let transform = MMEFixtures.transform(x: 16, y: 8, side: 96, output: 96)
        var c = MMETargetConfiguration.released
        c.length = 3
        c.trajectoryNormalization = .none
        let released = try targets(c, frames: video, transform: transform, flow: flow)
        #expect((0..<released.trajectory.count).allSatisfy { released.trajectory[$0] == ($0 % 2 == 0 ? 1 : 0) })
        // The tracker as shipped reads the codes as pixels: everything leaves after one step.
        c.flowEncoding = .codes
        let codes = try targets(c, frames: video, transform: transform, flow: flow)
        #expect(codes.trajectory[0] == 136 && codes.trajectory[1] == 123 && codes.valid.allSatisfy { !$0 })
        // Dequantised but read bilinearly: the 8-bit steps, 0.157 px apart, survive.
        c.flowEncoding = .quantized
        c.sampling = .bilinear
        let quantized = try targets(c, frames: video, transform: transform, flow: flow)
        let expected: [Float] = [136 * 40 / 255 - 20, 123 * 40 / 255 - 20]
        #expect((0..<quantized.trajectory.count).allSatisfy { abs(quantized.trajectory[$0] - expected[$0 % 2]) < 1e-4 })
    }
}
