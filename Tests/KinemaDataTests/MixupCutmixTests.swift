import KinemaData
import KinemaTensor
import Testing

@Suite struct MixupCutmixTests {
    /// `[4, 1, 2, 3, 3]` clips whose values are their flat positions.
    private let clips = Tensor((0..<72).map(Float.init), shape: [4, 1, 2, 3, 3])

    @Test func smoothedTargets() {
        let y = MixupCutmix.smoothedTargets([2, 0], classes: 4, smoothing: 0.1).array(of: Float.self)
        let (on, off): (Float, Float) = (0.925, 0.025)  // 1 − 0.1 + 0.1/4, 0.1/4
        #expect(zip(y, [off, off, on, off, on, off, off, off]).allSatisfy { abs($0 - $1) < 1e-7 })
    }

    @Test func mixupBlendsWithTheReversedBatch() throws {
        let (mixed, targets) = try BatchMix.mixup(lambda: 0.3).apply(to: clips, labels: [0, 1, 2, 1], classes: 3)
        let values = mixed.array(of: Float.self)
        for n in 0..<4 {
            for i in 0..<18 {
                let expected = 0.3 * Float(n * 18 + i) + 0.7 * Float((3 - n) * 18 + i)
                #expect(abs(values[n * 18 + i] - expected) < 1e-4)
            }
        }
        // Clip 0 (class 0) is mixed with clip 3 (class 1): 0.3 / 0.7 / 0.
        let t = targets.array(of: Float.self)
        #expect(targets.shape == [4, 3])
        #expect(zip(t[0..<3], [0.3, 0.7, 0] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(zip(t[6..<9], [0, 0.7, 0.3] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func cutmixPastesTheBoxOfTheReversedBatch() throws {
        let box = CropBox(x: 1, y: 0, width: 2, height: 2)
        let mix = BatchMix.cutmix(box: box)
        #expect(abs(mix.lambda(width: 3, height: 3) - 5.0 / 9) < 1e-12)
        let (mixed, targets) = try mix.apply(to: clips, labels: [0, 1, 2, 3], classes: 4, smoothing: 0)
        let values = mixed.array(of: Float.self)
        for n in 0..<4 {
            for t in 0..<2 {
                for y in 0..<3 {
                    for x in 0..<3 {
                        let inBox = x >= 1 && y < 2
                        let source = inBox ? 3 - n : n
                        #expect(values[((n * 2 + t) * 3 + y) * 3 + x] == Float(((source * 2 + t) * 3 + y) * 3 + x))
                    }
                }
            }
        }
        let t = targets.array(of: Float.self)
        #expect(abs(t[0] - 5.0 / 9) < 1e-6 && abs(t[3] - 4.0 / 9) < 1e-6)
        #expect(throws: TorchError.self) {
            try BatchMix.cutmix(box: CropBox(x: 2, y: 0, width: 2, height: 2)).apply(
                to: clips, labels: [0, 1, 2, 3], classes: 4)
        }
        #expect(throws: TorchError.self) { try BatchMix.none.apply(to: clips, labels: [0], classes: 4) }
    }

    @Test func samplingFollowsTheSettingsAndIsSeeded() {
        var generator = SeededGenerator(seed: 4)
        var lambdas: [Double] = []
        var cutmixes = 0
        for _ in 0..<4000 {
            switch MixupCutmix.videoMAE.sample(width: 16, height: 12, using: &generator) {
            case .mixup(let lambda): lambdas.append(lambda)
            case .cutmix(let box):
                cutmixes += 1
                #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 16 && box.y + box.height <= 12)
            case .none: Issue.record("probability 1 always mixes")
            }
        }
        #expect(cutmixes > 1800 && cutmixes < 2200)  // switch probability 0.5
        // Beta(0.8, 0.8): mean 1/2, variance 1 / (4 · (2 · 0.8 + 1)) ≈ 0.0962.
        let mean = lambdas.reduce(0, +) / Double(lambdas.count)
        let variance = lambdas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lambdas.count)
        #expect(abs(mean - 0.5) < 0.02 && abs(variance - 0.0962) < 0.01)

        let never = MixupCutmix(probability: 0)
        #expect(never.sample(width: 4, height: 4, using: &generator) == .none)
        var a = SeededGenerator(seed: 8)
        var b = SeededGenerator(seed: 8)
        #expect(
            MixupCutmix.videoMAE.sample(width: 16, height: 12, using: &a)
                == MixupCutmix.videoMAE.sample(width: 16, height: 12, using: &b))
        #expect(throws: DatasetError.self) { try MixupCutmix(labelSmoothing: 2).validate() }
    }
}
