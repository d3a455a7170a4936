import KinemaData
import KinemaPretext
import Testing

private typealias Seeded = KinemaData.SeededGenerator

/// Ratios with dyadic values, so `r + (start − r) · (1 − step / steps)` is exact in binary floating
/// point and the expected values below are the arithmetic done by hand.
@Test func curriculumRatiosShrinkLinearlyToTheFinalMask() {
    let curriculum = MoSIMaskCurriculum(startRatio: 1, steps: 4)
    let final = MoSIStaticMask.randomRatio(0.25...0.5)
    #expect(curriculum.mask(atStep: 0, final: final) == .randomRatio(1...1))
    // Step 1: 3/4 of the way left: 0.25 + 0.75 · 0.75 = 0.8125, 0.5 + 0.5 · 0.75 = 0.875.
    #expect(curriculum.mask(atStep: 1, final: final) == .randomRatio(0.8125...0.875))
    #expect(curriculum.mask(atStep: 2, final: final) == .randomRatio(0.625...0.75))
    #expect(curriculum.mask(atStep: 3, final: final) == .randomRatio(0.4375...0.625))
    #expect(curriculum.mask(atStep: 4, final: final) == final)
    #expect(curriculum.mask(atStep: 1000, final: final) == final)
    #expect(curriculum.mask(atStep: -1, final: final) == .randomRatio(1...1))
    #expect(MoSIMaskCurriculum(startRatio: 0.75, steps: 2).mask(atStep: 1, final: .fixedRatio(0.25)) == .fixedRatio(0.5))
    #expect(curriculum.mask(atStep: 1, final: .none) == MoSIStaticMask.none)
}

/// At step 0 of a start ratio of 1 the whole frame moves; from the curriculum's last step on, the
/// settings are the paper's and so are the masks (side ⌊112 · r⌋, r in [0.3, 0.5]: 33 … 56).
@Test func curriculumEndsOnThePapersMask() throws {
    let paper = MoSIConfig(staticMask: .randomRatio(0.3...0.5))
    var config = paper
    config.maskCurriculum = MoSIMaskCurriculum(startRatio: 1, steps: 100)
    func masks(_ config: MoSIConfig) throws -> [MoSIMask] {
        let sampler = try MoSISampler(config)
        var generator = Seeded(seed: 3)
        return (0..<20).flatMap { _ in sampler.sampleGroup(sourceWidth: 400, sourceHeight: 320, using: &generator).samples.map { $0.mask! } }
    }
    #expect(try masks(config.atStep(0)).allSatisfy { $0.width == 112 && $0.height == 112 && $0.x == 0 && $0.y == 0 })
    let middle = try masks(config.atStep(50))  // ratios 0.65 … 0.75: sides 72 … 84
    #expect(middle.allSatisfy { (72...84).contains($0.width) && $0.width == $0.height })
    #expect(config.atStep(100) == paper && config.atStep(250) == paper)
    #expect(try masks(config.atStep(100)).allSatisfy { (33...56).contains($0.width) && $0.width == $0.height })
}

/// The generator is driven by the step alone: a step's batch is the same whatever steps came
/// before it (what a resumed run relies on), and without a curriculum `atStep` changes nothing.
@Test func stepDrivenGeneratorIsDeterministic() throws {
    var config = smallConfig(mask: .randomRatio(0.25...0.5))
    config.maskCurriculum = MoSIMaskCurriculum(startRatio: 1, steps: 8)
    let images = (0..<2).map { texture(width: 64 + 9 * $0, height: 50) }
    let generator = try MoSIGenerator(config, seed: 4, threads: 2)
    let walked = try (0...5).map { try generator.atStep($0).batch(images, items: [$0, $0 + 10]) }.last!
    let direct = try MoSIGenerator(config, seed: 4, threads: 1).atStep(5).batch(images, items: [5, 15])
    #expect(walked.clips == direct.clips && walked.groups == direct.groups)
    let early = try generator.atStep(0).batch(images, items: [5, 15])
    #expect(early.groups.allSatisfy { $0.samples.allSatisfy { $0.mask?.width == 16 } })
    #expect(early.clips != direct.clips)
    let plain = try MoSIGenerator(smallConfig(mask: .randomRatio(0.25...0.5)), seed: 4, threads: 1)
    #expect(try plain.atStep(3).batch(images, items: [1, 2]).clips == (try plain.batch(images, items: [1, 2]).clips))
}

@Test func invalidCurriculaThrowClearErrors() {
    for (curriculum, mask, words) in [
        (MoSIMaskCurriculum(startRatio: 0, steps: 10), MoSIStaticMask.randomRatio(0.3...0.5), "start ratio"),
        (MoSIMaskCurriculum(startRatio: 1.5, steps: 10), .randomRatio(0.3...0.5), "start ratio"),
        (MoSIMaskCurriculum(startRatio: 1, steps: 0), .fixedRatio(0.4), "at least 1 step"),
        (MoSIMaskCurriculum(startRatio: 1, steps: 10), .none, "not none"),
    ] {
        let error = #expect(throws: MoSIError.self) { try MoSISampler(MoSIConfig(staticMask: mask, maskCurriculum: curriculum)) }
        #expect(error?.message.contains(words) == true, "\(String(describing: error))")
    }
}
