import Foundation
import KinemaData
import KinemaVideo
import Testing

// KinemaMediaTestSupport has a generator of the same name; these tests use the library's.
private typealias SeededGenerator = KinemaData.SeededGenerator

/// RandAugment's spec string, its magnitude → argument mapping (timm 0.4.12's `LEVEL_TO_ARG`,
/// values computed from its formulas), the sampler's statistics and one draw per clip.
@Suite struct RandAugmentTests {
    @Test func videoMAEsSpecParses() throws {
        let spec = try RandAugment(spec: "rand-m7-n4-mstd0.5-inc1")
        #expect(spec == RandAugment(magnitude: 7, operations: 4, magnitudeStd: 0.5, increasing: true))
        // Sections in any order; what is left out keeps timm's defaults (m 10, n 2, mstd 0, inc 0).
        #expect(try RandAugment(spec: "rand-n3-m9") == RandAugment(magnitude: 9, operations: 3))
        #expect(try RandAugment(spec: "rand") == RandAugment(magnitude: 10, operations: 2, magnitudeStd: 0, increasing: false))
        #expect(try RandAugment(spec: "rand-m7-inc0").increasing == false)
    }

    @Test func malformedSpecsAreRefusedNamingThePart() {
        let cases: [(String, String)] = [
            ("", "must start with 'rand'"), ("m7-n4", "must start with 'rand'"), ("randaugment-m7", "must start with 'rand'"),
            ("rand-m", "'m' is not a key followed by a number"), ("rand--m7", "'' is not a key"),
            ("rand-7", "'7' is not a key"), ("rand-m7e1", "'m7e1'"), ("rand-m-7", "'m' is not"),
            ("rand-mstdinf", "'mstdinf'"), ("rand-m7-m8", "'m' is given twice"), ("rand-x3", "unknown section 'x3'"),
            ("rand-w0", "weighted operation choice"), ("rand-m11", "must be in [0, 10]"), ("rand-n0", "n must be ≥ 1"),
            ("rand-n2.5", "whole number"), ("rand-inc2", "inc must be 0 or 1"),
        ]
        for (spec, words) in cases {
            do {
                _ = try RandAugment(spec: spec)
                Issue.record("'\(spec)' was accepted")
            } catch {
                #expect(error.source == "randAugment" && error.message.contains(words), "'\(spec)': \(error.message)")
            }
        }
    }

    @Test func levelsMapToTimmsArguments() {
        // timm at level 7 (l = 0.7): rotate 30·l = 21; posterize int(4·l) = 2, increasing 4 − 2 = 2;
        // solarize int(256·l) = 179, increasing 256 − 179 = 77; solarize-add int(110·l) = 77;
        // enhancements 0.1 + 1.8·l = 1.36, increasing 1 ± 0.9·l = 1.63 / 0.37; shear 0.3·l = 0.21;
        // translate 0.45·l = 0.315.
        func op(_ t: RandAugment.Transform, increasing: Bool = true, negate: Bool = false) -> RandAugmentOperation {
            t.operation(level: 7, increasing: increasing, negate: negate)
        }
        #expect(op(.rotate) == .rotate(degrees: 21) && op(.rotate, negate: true) == .rotate(degrees: -21))
        #expect(op(.posterize) == .posterize(bits: 2) && op(.posterize, increasing: false) == .posterize(bits: 2))
        #expect(op(.solarize) == .solarize(threshold: 77) && op(.solarize, increasing: false) == .solarize(threshold: 179))
        #expect(op(.solarizeAdd) == .solarizeAdd(77))
        #expect(op(.autoContrast) == .autoContrast && op(.equalize) == .equalize && op(.invert) == .invert)
        func factor(_ operation: RandAugmentOperation) -> Double? {
            switch operation {
            case .color(let f), .contrast(let f), .brightness(let f), .sharpness(let f): f
            case .shearX(let f), .shearY(let f), .translateX(let f), .translateY(let f): f
            default: nil
            }
        }
        for t in [RandAugment.Transform.color, .contrast, .brightness, .sharpness] {
            #expect(abs(factor(op(t))! - 1.63) < 1e-12 && abs(factor(op(t, negate: true))! - 0.37) < 1e-12, "\(t)")
            #expect(abs(factor(op(t, increasing: false))! - 1.36) < 1e-12, "\(t)")
        }
        for t in [RandAugment.Transform.shearX, .shearY] { #expect(abs(factor(op(t, negate: true))! + 0.21) < 1e-12) }
        for t in [RandAugment.Transform.translateXRel, .translateYRel] { #expect(abs(factor(op(t))! - 0.315) < 1e-12) }
        // The ends: level 10 keeps no bit and solarizes everything; level 0 changes nothing.
        #expect(RandAugment.Transform.posterize.operation(level: 10, increasing: true, negate: false) == .posterize(bits: 0))
        #expect(RandAugment.Transform.solarize.operation(level: 10, increasing: true, negate: false) == .solarize(threshold: 0))
        #expect(RandAugment.Transform.solarize.operation(level: 0, increasing: true, negate: false) == .solarize(threshold: 256))
    }

    @Test func theSamplerDrawsUniformOperationsHalfTheTimeAtNoisyMagnitudes() {
        // n = 1 per draw: 20,000 draws; each binomial share is checked to 5 standard deviations.
        let augment = RandAugment(magnitude: 7, operations: 1, magnitudeStd: 0.5, increasing: true)
        var generator = SeededGenerator(seed: 11)
        let draws = 20_000
        var applied = 0
        var kinds: [String: Int] = [:]
        var rotations: [Double] = []
        for _ in 0..<draws {
            guard let operation = augment.sample(using: &generator).first else { continue }
            applied += 1
            kinds[String("\(operation)".prefix { $0.isLetter }), default: 0] += 1
            if case .rotate(let degrees) = operation { rotations.append(degrees) }
        }
        let n = Double(draws)
        #expect(abs(Double(applied) / n - 0.5) < 5 * (0.25 / n).squareRoot(), "applied \(applied) of \(draws)")
        #expect(kinds.count == 15, "\(kinds.keys.sorted())")
        let share = 1.0 / 15
        for (kind, count) in kinds {
            let p = Double(count) / Double(applied)
            #expect(abs(p - share) < 5 * (share * (1 - share) / Double(applied)).squareRoot(), "\(kind): \(p)")
        }
        // |degrees| = 3 · N(7, 0.5): mean 21, standard deviation 1.5; both signs equally often.
        let magnitudes = rotations.map(abs)
        let mean = magnitudes.reduce(0, +) / Double(magnitudes.count)
        let sd = (magnitudes.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(magnitudes.count - 1)).squareRoot()
        #expect(abs(mean - 21) < 5 * 1.5 / Double(magnitudes.count).squareRoot(), "mean \(mean)")
        #expect(abs(sd - 1.5) < 0.15, "standard deviation \(sd)")
        let positive = Double(rotations.filter { $0 > 0 }.count) / Double(rotations.count)
        #expect(abs(positive - 0.5) < 5 * (0.25 / Double(rotations.count)).squareRoot())
    }

    @Test func noisyMagnitudesAreClippedToTheScale() {
        let augment = RandAugment(magnitude: 9, operations: 4, magnitudeStd: 5, increasing: true)
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<2000 {
            for operation in augment.sample(using: &generator) {
                switch operation {
                case .rotate(let degrees): #expect(abs(degrees) <= 30)
                case .posterize(let bits): #expect((0...4).contains(bits))
                case .solarize(let threshold): #expect((0...256).contains(threshold))
                case .solarizeAdd(let amount): #expect((0...110).contains(amount))
                case .color(let f), .contrast(let f), .brightness(let f), .sharpness(let f): #expect((0.1...1.9).contains(f))
                case .shearX(let f), .shearY(let f): #expect(abs(f) <= 0.3)
                case .translateX(let f), .translateY(let f): #expect(abs(f) <= 0.45)
                case .autoContrast, .equalize, .invert: break
                }
            }
        }
    }

    @Test func oneDrawServesEveryFrameOfAClip() throws {
        // Frames that differ only in their blue channel: every frame gets the same operations,
        // before the crop, and a generator seeded alike draws them alike.
        let frames = (0..<3).map { t in
            var pixels: [UInt8] = []
            for y in 0..<24 { for x in 0..<32 { pixels += [UInt8(4 * x), UInt8(6 * y), UInt8(40 * t)] } }
            return Image(width: 32, height: 24, format: .rgb, pixels: pixels)
        }
        let augmentation = ClipAugmentation(
            cropSize: 16, crop: RandomResizedCrop(scale: 0.5...1), flipProbability: 0.5,
            randAugment: RandAugment(magnitude: 9, operations: 4, increasing: true))
        var checked = 0
        for seed in 0..<20 {
            var a = SeededGenerator(seed: UInt64(seed))
            var b = SeededGenerator(seed: UInt64(seed))
            let transform = augmentation.sample(width: 32, height: 24, using: &a)
            #expect(augmentation.sample(width: 32, height: 24, using: &b) == transform)
            guard !transform.randAugment.isEmpty else { continue }
            checked += 1
            let plain = ClipTransform(crop: transform.crop, outputSize: 16, flip: transform.flip)
            let byHand = try frames.map { frame in
                try plain.apply(to: [try transform.randAugment.reduce(frame) { image, op in try op.apply(to: image) }])[0]
            }
            #expect(try transform.apply(to: frames) == byHand, "seed \(seed): \(transform.randAugment)")
        }
        #expect(checked >= 10)
    }
}
