import KinemaPretext
import KinemaVideo
import Testing

/// 200 images × 9 clips of the label-noise control next to the same batch with motion labels.
private func noisyAndTrueBatches() throws -> (noisy: MoSIBatch, motion: MoSIBatch) {
    let images = (0..<200).map { texture(width: 48 + $0 % 7, height: 48 + $0 % 5) }
    let items = Array(100..<300)
    var config = smallConfig(mask: .randomRatio(0.3...0.5))
    let motion = try MoSIGenerator(config, seed: 21, threads: 2).batch(images, items: items)
    config.labels = .random
    return (try MoSIGenerator(config, seed: 21, threads: 2).batch(images, items: items), motion)
}

/// Same pipeline: the clips and every drawn parameter but the label are those of the motion labels.
@Test func labelNoiseKeepsTheClipsAndChangesOnlyLabels() throws {
    let (noisy, motion) = try noisyAndTrueBatches()
    #expect(noisy.clips == motion.clips)
    for (a, b) in zip(noisy.groups.flatMap(\.samples), motion.groups.flatMap(\.samples)) {
        #expect(a.speed == b.speed && a.mask == b.mask && a.startX == b.startX && a.color == b.color)
    }
    #expect(noisy.labels != motion.labels)
}

/// Pearson's χ² tests at a false-alarm rate of 0.1 % each (the seed is fixed, so the test is
/// deterministic; a correct generator would fail it for 1 seed in 1000). Critical values from
/// scipy.stats.chi2.ppf(0.999, dof): 26.124 for 8 degrees of freedom, 104.716 for 64.
@Test func noiseLabelsAreUniformAndIndependentOfTheMotion() throws {
    let (noisy, motion) = try noisyAndTrueBatches()
    let classes = 9
    let n = Double(noisy.labels.count)  // 1800
    var counts = [Double](repeating: 0, count: classes)
    var table = [[Double]](repeating: [Double](repeating: 0, count: classes), count: classes)
    for (label, truth) in zip(noisy.labels, motion.labels) {
        counts[label] += 1
        table[truth][label] += 1
    }
    // Uniform over the 9 classes: 200 expected per class.
    let uniform = counts.map { ($0 - n / 9) * ($0 - n / 9) / (n / 9) }.reduce(0, +)
    #expect(uniform < 26.124, "χ² \(uniform) against uniform, counts \(counts)")
    // Independent of the rendered motion: the 9 × 9 contingency table against its margins.
    let rows = table.map { $0.reduce(0, +) }
    var independence = 0.0
    for i in 0..<classes {
        for j in 0..<classes {
            let expected = rows[i] * counts[j] / n
            independence += (table[i][j] - expected) * (table[i][j] - expected) / expected
        }
    }
    #expect(independence < 104.716, "χ² \(independence) for independence of label and motion")
}
