import KinemaPretext
import KinemaTensor
import Testing

/// MME's loss against a plain restatement: per masked token the squared errors summed over its
/// values (trajectory values only where the token's trajectories stay in view), over the masked
/// tokens, the mean over the heads; and the patch-mean bar on the same targets.
@Suite struct MotionTargetLossTests {
    // 2 clips of 4 tokens; shape targets of 3 values, trajectory targets of 2.
    private let shape: [[[Float]]] = (0..<2).map { n in (0..<4).map { l in (0..<3).map { c in Float(n * 12 + l * 3 + c) * 0.1 - 1 } } }
    private let trajectory: [[[Float]]] = (0..<2).map { n in (0..<4).map { l in [Float(l) - Float(n), Float(l * l) * 0.3] } }
    private let valid = [[true, false, true, true], [true, true, true, false]]
    private let masked = [[1, 2], [0, 3]]

    private func targets() throws -> MMETargetBatch {
        try MMETargetBatch((0..<2).map { n in
            MMETargets(
                tokenFrames: 1, tokenRows: 2, tokenColumns: 2, trajectoryChannels: 2, trajectory: trajectory[n].flatMap { $0 },
                shapeChannels: 3, shape: shape[n].flatMap { $0 }, valid: valid[n], tracks: [])
        })
    }

    private func tokens() throws -> MaskedTokens {
        try MaskedTokens(masked.map { rows in (0..<4).map { rows.contains($0) } })
    }

    @Test func theLossSumsEachMaskedTokensErrorsAndSkipsTrajectoriesOutOfView() throws {
        let values: [Float] = (0..<20).map { Float(($0 * 7) % 11) * 0.2 - 1 }  // [2, 2, 5]: shape 0..<3, trajectory 3..<5
        let predictions = Tensor(values, shape: [2, 2, 5])
        let loss = MotionTargetLoss(parts: [.shape, .trajectory], ranges: [0..<3, 3..<5])
        var (shapeSum, trajectorySum) = (0.0, 0.0)
        for n in 0..<2 {
            for (m, l) in masked[n].enumerated() {
                let p = Array(values[(n * 10 + m * 5)..<(n * 10 + m * 5 + 5)])
                shapeSum += (0..<3).map { Double(p[$0] - shape[n][l][$0]) }.map { $0 * $0 }.reduce(0, +)
                if valid[n][l] { trajectorySum += (0..<2).map { Double(p[3 + $0] - trajectory[n][l][$0]) }.map { $0 * $0 }.reduce(0, +) }
            }
        }
        let expected = (shapeSum / 4 + trajectorySum / 4) / 2
        let got = loss(predictions, try targets(), try tokens()).item(Double.self)
        #expect(abs(got - expected) <= 1e-5 * expected, "\(got) vs \(expected)")

        let alone = MotionTargetLoss(parts: [.trajectory], ranges: [0..<2])(
            predictions.narrowed(dim: 2, start: 3, length: 2), try targets(), try tokens()).item(Double.self)
        #expect(abs(alone - trajectorySum / 4) <= 1e-5 * trajectorySum / 4, "one head: no averaging over parts")
    }

    /// Predicting each token's own mean: the error is the token's sum of squared deviations.
    @Test func thePatchMeanBarIsEachTokensSpreadAroundItsMean() throws {
        let loss = MotionTargetLoss(parts: [.shape, .trajectory], ranges: [0..<3, 3..<5])
        func deviations(_ v: [Float]) -> Double {
            let mean = v.map(Double.init).reduce(0, +) / Double(v.count)
            return v.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +)
        }
        var (shapeSum, trajectorySum) = (0.0, 0.0)
        for n in 0..<2 {
            for l in masked[n] {
                shapeSum += deviations(shape[n][l])
                if valid[n][l] { trajectorySum += deviations(trajectory[n][l]) }
            }
        }
        let expected = (shapeSum / 4 + trajectorySum / 4) / 2
        let got = loss.patchMean(try targets(), try tokens()).item(Double.self)
        #expect(abs(got - expected) <= 1e-5 * expected, "\(got) vs \(expected)")
    }
}
