import Foundation
import KinemaTensor
import KinemaTrain
import Testing

/// softmax of a row, by hand in Double.
private func softmax(_ row: [Double]) -> [Double] {
    let e = row.map { exp($0 - row.max()!) }
    return e.map { $0 / e.reduce(0, +) }
}

@Test func viewFusionIsTheMeanOfPerViewSoftmax() throws {
    // Two videos × three views × four classes. Video 0's views disagree; the fusion averages
    // probabilities, not logits: view 2's confident vote for class 3 does not simply win.
    let logits: [[Double]] = [
        [2, 1, 0, 0], [2, 1, 0, 0], [0, 0, 0, 6],
        [0, 1, 0, 0], [0, 0, 3, 0], [1, 0, 0, 0],
    ]
    let fused = try ViewFusion.softmaxMean(Tensor(logits.joined().map(Float.init), shape: [6, 4]), views: 3)
    #expect(fused.shape == [2, 4])
    let values = fused.array(of: Float.self)
    for video in 0..<2 {
        let views = (0..<3).map { softmax(logits[video * 3 + $0]) }
        for c in 0..<4 {
            let expected = (views[0][c] + views[1][c] + views[2][c]) / 3
            #expect(abs(Double(values[video * 4 + c]) - expected) < 1e-6, "video \(video) class \(c)")
        }
    }
    // Worked by hand: video 0's class 3 gets (e⁶/(3+e⁶) + 2/(e²+e+2)) / 3 = 0.38594 and class 0
    // (2·e²/(e²+e+2) + 1/(3+e⁶)) / 3 = 0.40768: class 0 wins the fusion (a mean of logits would
    // pick class 3: 6/3 > 4/3).
    #expect(abs(values[3] - 0.38594) < 1e-4 && abs(values[0] - 0.40768) < 1e-4)
    #expect(throws: TorchError.self) { try ViewFusion.softmaxMean(Tensor([Float](repeating: 0, count: 8), shape: [2, 4]), views: 3) }
}

@Test func theTallyCountsTopOneTopFivePerClassAndConfusion() {
    #expect(ClassificationTally.topK([0.1, 0.4, 0.2, 0.4, 0.05, 0.3], k: 3) == [1, 3, 5], "ties keep the lower class first")
    var tally = ClassificationTally(classes: 6)
    #expect(tally.k == 5)
    // truth 0: best 0 (hit).  truth 1: best 2, 1 second (top-5 hit).  truth 1: 1 last of six (miss).
    // truth 2: best 2.
    tally.add(truth: 0, scores: [0.9, 0.02, 0.02, 0.02, 0.02, 0.02])
    tally.add(truth: 1, scores: [0.1, 0.3, 0.4, 0.1, 0.05, 0.05])
    tally.add(truth: 1, scores: [0.2, 0.0, 0.2, 0.2, 0.2, 0.2])
    tally.add(truth: 2, scores: [0.1, 0.1, 0.5, 0.1, 0.1, 0.1])
    #expect(tally.count == 4)
    #expect(tally.top1 == 0.5)
    #expect(tally.topKAccuracy == 0.75)
    #expect(tally.confusion[1] == [1, 0, 1, 0, 0, 0] && tally.confusion[0][0] == 1 && tally.confusion[2][2] == 1)
    #expect(tally.accuracyPerClass == [1, 0, 1, nil, nil, nil])
    #expect(tally.meanClassAccuracy == 2.0 / 3)
    #expect(ClassificationTally(classes: 3).k == 3, "top-k is capped at the number of classes")
}

@Test func validationSubsetsAreEvenlySpread() {
    #expect(Evaluation.evenlySpread(3, of: 10) == [0, 3, 6])
    #expect(Evaluation.evenlySpread(0, of: 4) == [0, 1, 2, 3])
    #expect(Evaluation.evenlySpread(9, of: 4) == [0, 1, 2, 3])
}
