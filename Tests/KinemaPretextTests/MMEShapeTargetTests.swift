import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaVideo
import Testing

/// MME's shape targets: the paper's trajectory-aligned HOG (Eq. 5) and the released per-frame HOG.
@Suite struct MMEShapeTargetTests {
    static let photo = try! TestData.photo("chelsea", width: 320, height: 240)

    @Test func trajectoryAlignedHOGOfATranslatedTextureIsTheHOGOfTheUntranslatedOne() throws {
        // Whole-pixel steps (2, 1): every frame is an exact copy of the first, shifted, and the tracked
        // points move with it, so each step's 8 × 8 window holds the same pixels as at the start.
        let video = try MMEFixtures.frames(6, photo: Self.photo, step: KnownMotion.translation(2, 1),
                                           origin: KnownMotion.translation(-60, -50), width: 160, height: 120)
        var c = MMEFixtures.configuration()
        c.hogPatchNorm = false
        let t = try MMETargetComputer(c, flow: KnownFlow { x, y in (x + 2, y + 1) })
            .targets(rawFrames: video, clipFrames: 4, stride: 1, transform: MMEFixtures.transform(x: 16, y: 8, side: 96, output: 96))
        let (bins, L, K) = (9, 3, 4)
        #expect(t.shapeChannels == K * L * bins)
        var (compared, worst, moved) = (0, 0.0, 0)
        for (tubelet, set) in t.tracks.enumerated() {
            for n in 0..<set.count {
                // Windows touching the clip's border pixels see its edge (no gradient there) or are
                // shifted inside: only windows within [1, 95) all along are the same pixels.
                let inside = (0..<L).allSatisfy { step in
                    let p = set.position(n, step: step)
                    return [p.x, p.y].allSatisfy { $0.rounded() >= 5 && $0.rounded() <= 91 }
                }
                guard inside else { continue }
                let (row, column) = (n / set.columns, n % set.columns)
                let token = tubelet * 36 + row / 2 * 6 + column / 2, k = row % 2 * 2 + column % 2
                let values = t.shape[(token * t.shapeChannels)..<((token + 1) * t.shapeChannels)].map(Double.init)
                let first = Array(values[(k * L * bins)..<(k * L * bins + bins)])
                for step in 1..<L {
                    let later = values[((k * L + step) * bins)..<((k * L + step + 1) * bins)]
                    worst = max(worst, zip(later, first).map { abs($0 - $1) / max($1, 1) }.max()!)
                    compared += 1
                }
            }
        }
        // Histograms are sums of float32 votes in double precision (integral-image differences).
        #expect(compared > 300 && worst < 1e-4, "worst relative difference \(worst) over \(compared) windows")
        // The test can fail: the texture did move, so a window left at the start point sees other pixels.
        let still = try MMETargetComputer(c, flow: KnownFlow { x, y in (x, y) })
            .targets(rawFrames: video, clipFrames: 4, stride: 1, transform: MMEFixtures.transform(x: 16, y: 8, side: 96, output: 96))
        for token in 0..<t.tokens {
            let base = token * t.shapeChannels
            let (a, b) = (still.shape[(base + bins)..<(base + 2 * bins)], t.shape[(base + bins)..<(base + 2 * bins)])
            if zip(a, b).contains(where: { abs($0 - $1) > 1e-3 * max(abs($1), 1) }) { moved += 1 }
        }
        #expect(moved > t.tokens * 3 / 4, "only \(moved) of \(t.tokens) tokens' step-1 HOG changed when the points stayed put")
    }

    @Test func releasedPerFrameHOGIsTheTubeletsLastFrameInChannelBinCellOrder() throws {
        // 4 frames at stride 2: tubelets end on raw frames 2 and 6 (L = 3 needs 2·2 + 3 + 1 = 8 frames).
        let video = try MMEFixtures.frames(8, photo: Self.photo, step: KnownMotion.translation(1, 0),
                                           origin: KnownMotion.translation(-60, -50), width: 160, height: 120)
        var c = MMEFixtures.configuration { $0.shape = .perFrame }
        c.hogPatchNorm = false
        let transform = MMEFixtures.transform(x: 8, y: 4, side: 112, output: 64)
        let t = try MMETargetComputer(c, flow: KnownFlow { x, y in (x + 1, y) })
            .targets(rawFrames: video, clipFrames: 4, stride: 2, transform: transform)
        #expect(t.shapeChannels == 3 * 9 * 4)
        let std = InputNormalization.imagenet.std
        for (tubelet, frame) in [(0, 2), (1, 6)] {
            let cells = try HOG.cells(try transform.apply(to: [video[frame]])[0], cellSize: 8, bins: 9)  // [8][8][3·9]
            for token in 0..<16 {
                let (row, column) = (token / 4 * 2, token % 4 * 2)
                for channel in 0..<3 {
                    for bin in 0..<9 {
                        for cell in 0..<4 {
                            let expected = cells[((row + cell / 2) * 8 + column + cell % 2) * 27 + channel * 9 + bin] / (255 * std[channel])
                            let value = t.shape[(tubelet * 16 + token) * t.shapeChannels + (channel * 9 + bin) * 4 + cell]
                            #expect(value == expected, "tubelet \(tubelet) token \(token) channel \(channel) bin \(bin) cell \(cell)")
                        }
                    }
                }
            }
        }
    }

    @Test func paperNormalisesEachTokensHOGToZeroMeanUnitDeviation() throws {
        let video = try MMEFixtures.frames(6, photo: Self.photo, step: KnownMotion.translation(1, 0),
                                           origin: KnownMotion.translation(-60, -50), width: 160, height: 120)
        let t = try MMETargetComputer(MMEFixtures.configuration(), flow: KnownFlow { x, y in (x + 1, y) })
            .targets(rawFrames: video, clipFrames: 4, stride: 1, transform: MMEFixtures.transform(x: 16, y: 8, side: 96, output: 64))
        let n = Double(t.shapeChannels)
        for token in 0..<t.tokens {
            let values = t.shape[(token * t.shapeChannels)..<((token + 1) * t.shapeChannels)].map(Double.init)
            let mean = values.reduce(0, +) / n
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
            #expect(abs(mean) < 1e-5 && abs(deviation - 1) < 1e-4, "token \(token): mean \(mean), deviation \(deviation)")
        }
    }
}
