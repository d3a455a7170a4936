import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaVideo
import Testing

/// The short-term motion targets of MME's baselines (Table 5, appendix C) on known flow: flow per
/// pixel, HOF and MBH per cell, all in the clip's pixels after the crop, resize and mirror.
@Suite struct MMEShortTermTargetTests {
    static let video = try! MMEFixtures.frames(
        11, photo: TestData.photo("chelsea", width: 320, height: 240), step: KnownMotion.translation(1, 0),
        origin: KnownMotion.translation(-60, -50), width: 160, height: 120)

    /// Targets of a 4-frame clip at stride 1 (L = 3) of the 96² crop at (16, 8), shown at `output`².
    private func targets(
        _ shortTerm: MMETargetConfiguration.ShortTermMotion, output: Int = 48, flip: Bool = false,
        adjust: (inout MMETargetConfiguration) -> Void = { $0.hogPatchNorm = false },
        motion: @escaping (Double, Double) -> (x: Double, y: Double) = { x, y in (x + 1.5, y - 0.5) },
        wholeFrameFlows: [FlowField]? = nil
    ) throws -> MMETargets {
        var c = MMEFixtures.configuration { $0.shortTerm = shortTerm }
        adjust(&c)
        return try MMETargetComputer(c, flow: KnownFlow(motion)).targets(
            rawFrames: Self.video, clipFrames: 4, stride: 1, transform: MMEFixtures.transform(x: 16, y: 8, side: 96, output: output, flip: flip),
            wholeFrameFlows: wholeFrameFlows)
    }

    @Test func theFlowTargetIsTheFlowInTheClipsPixels() throws {
        // (1.5, −0.5) px in the 96² crop is (0.75, −0.25) px in the 48² clip. The estimator sees the
        // mirrored frames of a mirrored clip; cached flow of the whole frames is mirrored: x turns.
        let whole = Array(repeating: FlowField(width: 160, height: 120, u: 1.5, v: -0.5), count: 10)
        for flip in [false, true] {
            let t = try targets(.flow, flip: flip, wholeFrameFlows: whole)
            #expect(t.shortTermChannels == 16 * 16 * 2 && t.tokens == 2 * 3 * 3 && t.shortTerm.count == t.tokens * 512)
            let expected: [Float] = [flip ? -0.75 : 0.75, -0.25]
            let worst = t.shortTerm.indices.map { abs(t.shortTerm[$0] - expected[$0 % 2]) }.max()!
            #expect(worst < 1e-5, "flip \(flip): worst difference \(worst)")
        }
        // Standardised per token: n values of two kinds, 0.75 and −0.25, become ±√((n−1)/n).
        let normalised = try targets(.flow) { $0.hogPatchNorm = true }
        let n = 512.0
        let worst = normalised.shortTerm.indices.map { abs(Double(normalised.shortTerm[$0]) - ($0 % 2 == 0 ? 1 : -1) * ((n - 1) / n).squareRoot()) }.max()!
        #expect(worst < 1e-4, "worst difference \(worst)")
    }

    @Test func hofPutsACellsMeanMagnitudeInItsDirectionsBins() throws {
        let (bins, cells) = (9, 4)
        let t = try targets(.hof)
        #expect(t.shortTermChannels == cells * bins)
        let magnitude = Float((0.75 * 0.75 + 0.25 * 0.25).squareRoot())
        for token in 0..<t.tokens {
            for cell in 0..<cells {
                let histogram = t.shortTerm[((token * cells + cell) * bins)..<((token * cells + cell + 1) * bins)]
                #expect(abs(histogram.reduce(0, +) - magnitude) < 1e-4, "token \(token) cell \(cell): \(Array(histogram))")
                #expect(histogram.filter { $0 > 1e-6 }.count <= 2, "a single direction votes into at most two bins")
            }
        }
        // Over 360° (the paper's HOF) the opposite motion fills other bins; over 180° (the released
        // gradient-histogram extractor) it cannot be told apart.
        let opposite = try targets(.hof, motion: { x, y in (x - 1.5, y + 0.5) })
        #expect(zip(t.shortTerm, opposite.shortTerm).contains { abs($0 - $1) > 0.1 })
        let folded = { (c: inout MMETargetConfiguration) in
            c.hogPatchNorm = false
            c.flowHistogramFullCircle = false
        }
        let (half, halfOpposite) = (try targets(.hof, adjust: folded), try targets(.hof, adjust: folded, motion: { x, y in (x - 1.5, y + 0.5) }))
        #expect(zip(half.shortTerm, halfOpposite.shortTerm).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func mbhSeesOnlyMotionBoundaries() throws {
        let (bins, cells) = (9, 4)
        // Uniform motion has no boundary: every MBH value is 0.
        let uniform = try targets(.mbh)
        #expect(uniform.shortTermChannels == cells * 2 * bins && uniform.shortTerm.allSatisfy { abs($0) < 1e-5 })
        // The left half of the crop moves right by 2 px, the right half stands still: the x component
        // steps at x = 48 of the 96² clip, so only the cells holding pixels 47 and 48 (cell columns 5
        // and 6 of 12) see a gradient, and only in MBHx (the y component is 0 everywhere).
        let t = try targets(.mbh, output: 96, motion: { x, y in x < 48 ? (x + 2, y) : (x, y) })
        #expect(t.tokens == 2 * 6 * 6)
        var boundaryCells = 0
        for token in 0..<t.tokens {
            let (row, column) = (token % 36 / 6, token % 6)
            for cell in 0..<cells {
                let cellColumn = column * 2 + cell % 2
                let base = (token * cells + cell) * 2 * bins
                let (x, y) = (t.shortTerm[base..<(base + bins)], t.shortTerm[(base + bins)..<(base + 2 * bins)])
                #expect(y.allSatisfy { abs($0) < 1e-5 }, "MBHy of token (\(row), \(column)) cell \(cell)")
                if [5, 6].contains(cellColumn) {
                    // |Sobel| = 4 × the 2 px step on one of the cell's 8 columns: a mean of 1 per pixel.
                    #expect(abs(x.reduce(0, +) - 1) < 1e-4, "MBHx of boundary cell: \(Array(x))")
                    boundaryCells += 1
                } else {
                    #expect(x.allSatisfy { abs($0) < 1e-5 }, "MBHx of token (\(row), \(column)) cell \(cell): \(Array(x))")
                }
            }
        }
        #expect(boundaryCells == 2 * 12 * 2)
    }

    @Test func aShortTermTargetNeedsTheFlowAfterTheTubeletsLastFrame() throws {
        var c = MMETargetConfiguration.released
        #expect(c.rawFramesNeeded(clipFrames: 16, stride: 4) == 61)
        c.shortTerm = .hof
        // The last tubelet's last frame is raw frame 60; its flow reads frame 61.
        #expect(c.rawFramesNeeded(clipFrames: 16, stride: 4) == 62)
        #expect(c.shortTermChannels == 4 * 9)
        c.shortTerm = .none
        #expect(c.shortTermChannels == 0)
        // 4 frames at stride 3 (L = 3): the last tubelet spans raw frames 6 and 9; its trajectories
        // read frames 6…9, its flow target frame 10.
        let short = MMEFixtures.configuration { $0.shortTerm = .flow }
        #expect(short.rawFramesNeeded(clipFrames: 4, stride: 3) == 11)
        let computer = try MMETargetComputer(short, flow: KnownFlow { x, y in (x, y) })
        let transform = MMEFixtures.transform(x: 16, y: 8, side: 96, output: 48)
        #expect(throws: MMETargetError.self) {
            _ = try computer.targets(rawFrames: Array(Self.video.prefix(10)), clipFrames: 4, stride: 3, transform: transform)
        }
        #expect(try computer.targets(rawFrames: Self.video, clipFrames: 4, stride: 3, transform: transform).shortTerm.count == 18 * 512)
    }
}
