import KinemaData
import KinemaPretext
import KinemaTestSupport
import Testing

private typealias Seeded = KinemaData.SeededGenerator

@Test func resizedSizeTruncatesLikeTheOfficialCode() throws {
    let fx = try mosiFixture()
    let cases = try fx.ints("resize.cases")
    for c in stride(from: 0, to: cases.count, by: 5) {
        let (ls, h, w, newH, newW) = (cases[c], cases[c + 1], cases[c + 2], cases[c + 3], cases[c + 4])
        let sampler = try MoSISampler(MoSIConfig(cropSize: 64, standardSize: ls))
        let size = sampler.resizedSize(width: w, height: h)
        // Where floating point leaves the official long side at Ls − 1 (square 77×77 sources) its crop
        // fails; Kinema keeps Ls.
        #expect(size.width == max(newW, ls) && size.height == max(newH, ls), "Ls \(ls), \(w)x\(h)")
    }
    let square = try MoSISampler().resizedSize(width: 77, height: 77)
    #expect(square.width == 320 && square.height == 320)
}

@Test func validationPathsAreCentredWithoutJitter() throws {
    let sampler = try MoSISampler(MoSIConfig(split: .validation, distanceJitter: 0.5...1))
    var generator = Seeded(seed: 1)
    let group = sampler.sampleGroup(sourceWidth: 480, sourceHeight: 360, using: &generator)
    let axis = MoSIAxis(side: 320, crop: 112)
    for (label, sample) in group.samples.enumerated() {
        let dx = axis.distance(speed: sample.speed.x, speedsPerDirection: 2)
        let dy = axis.distance(speed: sample.speed.y, speedsPerDirection: 2)
        #expect(sample.distanceX == dx && sample.distanceY == dy)
        #expect(sample.startX == axis.centredStart(distance: dx) && sample.startY == axis.centredStart(distance: dy))
        #expect(sample.label == label && sample.speed == sampler.config.labelPool.speeds[label])
        #expect(sample.resizedWidth == 426 && sample.resizedHeight == 320)
        #expect((0...106).contains(sample.squareX) && sample.squareY == 0)
    }
}

@Test func trainingStartsAndJitteredDistancesStayInRange() throws {
    let sampler = try MoSISampler(MoSIConfig(distanceJitter: 0.5...1.5))
    let axis = MoSIAxis(side: 320, crop: 112)
    var generator = Seeded(seed: 2)
    var starts: [Int: Set<Int>] = [:]
    for _ in 0..<200 {
        for sample in sampler.sampleGroup(sourceWidth: 320, sourceHeight: 400, using: &generator).samples {
            for (speed, start, distance) in [(sample.speed.x, sample.startX, sample.distanceX), (sample.speed.y, sample.startY, sample.distanceY)] {
                let full = axis.distance(speed: speed, speedsPerDirection: 2)
                let factor = speed == 0 ? 1 : distance / full
                // Official get_distance_factor: |s| < K draws from the jitter range, |s| = K from [lower, 1].
                #expect(factor >= 0.5 - 1e-12 && factor <= (abs(speed) == 2 ? 1 : 1.5) + 1e-12)
                #expect(axis.startRange(distance: distance).contains(start))
                if speed == 0 { starts[0, default: []].insert(start) }
            }
        }
    }
    // A still axis starts anywhere in 0 … 208.
    #expect(starts[0]!.min()! < 20 && starts[0]!.max()! > 188)
}

@Test func sameSeedSameSamplesDifferentSeedDifferentSamples() throws {
    let sampler = try MoSISampler()
    func group(_ seed: UInt64, _ index: Int) -> MoSIGroup {
        var generator = Seeded(seed: seed, index: index)
        return sampler.sampleGroup(sourceWidth: 500, sourceHeight: 375, using: &generator)
    }
    #expect(group(7, 3) == group(7, 3))
    #expect(group(7, 3) != group(7, 4))
    #expect(group(7, 3) != group(8, 3))
}

@Test func groupsHoldEveryLabelOnceInOrder() throws {
    for flip in [MoSIFlipPolicy.none, .flipWithLabelSwap, .officialNoSwap] {
        let sampler = try MoSISampler(MoSIConfig(flip: flip))
        var generator = Seeded(seed: 3)
        for _ in 0..<20 {
            let group = sampler.sampleGroup(sourceWidth: 320, sourceHeight: 320, using: &generator)
            #expect(group.labels == Array(0..<9), "\(flip)")
        }
    }
}

@Test func flipPolicies() throws {
    let pool = try MoSILabelPool()
    func samples(_ flip: MoSIFlipPolicy) throws -> [MoSISample] {
        let sampler = try MoSISampler(MoSIConfig(flip: flip))
        var generator = Seeded(seed: 4)
        return (0..<40).flatMap { _ in sampler.sampleGroup(sourceWidth: 320, sourceHeight: 320, using: &generator).samples }
    }
    #expect(try samples(.none).allSatisfy { !$0.flipped && $0.speed == pool.speeds[$0.label] })

    let official = try samples(.officialNoSwap)
    let flippedShare = Double(official.filter(\.flipped).count) / Double(official.count)
    #expect(flippedShare > 0.4 && flippedShare < 0.6)
    // The official defect: the window makes the label's motion, and the flip then mirrors it.
    #expect(official.allSatisfy { $0.speed == pool.speeds[$0.label] })

    // With the swap, what the clip shows after the flip is the label's motion.
    let swapped = try samples(.flipWithLabelSwap)
    #expect(swapped.contains { $0.flipped })
    #expect(swapped.allSatisfy { ($0.flipped ? $0.speed.mirrored : $0.speed) == pool.speeds[$0.label] })
}

@Test func staticMaskVariants() throws {
    func masks(_ policy: MoSIStaticMask) throws -> [MoSIMask?] {
        let sampler = try MoSISampler(MoSIConfig(staticMask: policy))
        var generator = Seeded(seed: 5)
        return (0..<30).flatMap { _ in sampler.sampleGroup(sourceWidth: 320, sourceHeight: 320, using: &generator).samples.map(\.mask) }
    }
    let random = try masks(.randomRatio(0.3...0.5)).map { $0! }
    // ⌊112 · r⌋ for r in [0.3, 0.5]: 33 … 56, square, inside the frame, any background frame.
    #expect(random.allSatisfy { $0.width == $0.height && (33...56).contains($0.width) })
    #expect(random.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x + $0.width <= 112 && $0.y + $0.height <= 112 })
    #expect(Set(random.map(\.width)).count > 10)
    #expect(Set(random.map(\.backgroundFrame)) == Set(0..<16))
    #expect(try masks(.fixedRatio(0.4)).allSatisfy { $0!.width == 44 && $0!.height == 44 })
    #expect(try masks(.none).allSatisfy { $0 == nil })
}

@Test func colorJitterPresets() throws {
    func steps(_ jitter: MoSIColorJitter) throws -> [[MoSIColorStep]] {
        let sampler = try MoSISampler(MoSIConfig(colorJitter: jitter))
        var generator = Seeded(seed: 6)
        return (0..<30).flatMap { _ in sampler.sampleGroup(sourceWidth: 320, sourceHeight: 320, using: &generator).samples.map(\.color) }
    }
    // TAdaConv HEAD: only grayscale survives, in about 30 % of the clips.
    let head = try steps(.tadaconvHead)
    #expect(head.allSatisfy { $0 == [] || $0 == [.grayscale] })
    let grayShare = Double(head.filter { !$0.isEmpty }.count) / Double(head.count)
    #expect(grayShare > 0.2 && grayShare < 0.4)
    #expect(try steps(.none).allSatisfy(\.isEmpty))

    // The paper: all four operations in random order, one factor per frame, grayscale put first.
    let paper = try steps(.paper)
    var orders = Set<[String]>()
    for clip in paper {
        let operations = clip.filter { $0 != .grayscale }
        #expect(operations.count == 4)
        if clip.contains(.grayscale) { #expect(clip.first == .grayscale) }
        orders.insert(operations.map { "\($0)".prefix(4).description })
        for step in operations {
            switch step {
            case .brightness(let f), .contrast(let f), .saturation(let f):
                #expect(f.count == 16 && Set(f).count == 16 && f.allSatisfy { $0 >= 0.5 && $0 <= 1.5 })
            case .hue(let f):
                #expect(f.count == 16 && Set(f).count == 16 && f.allSatisfy { abs($0) <= 0.25 })
            case .grayscale: break
            }
        }
    }
    #expect(orders.count > 5)

    var consistent = MoSIColorJitter.paper
    consistent.consistent = true
    consistent.shuffle = false
    for clip in try steps(consistent) {
        let operations = clip.filter { $0 != .grayscale }
        #expect(operations.map { "\($0)".prefix(4).description } == ["brig", "cont", "satu", "hue("])
        for case .brightness(let f) in operations { #expect(Set(f).count == 1) }
    }
}

@Test func invalidSettingsThrowClearErrors() {
    let bad: [MoSIConfig] = [
        MoSIConfig(frameCount: 0),
        MoSIConfig(cropSize: 320, standardSize: 320),
        MoSIConfig(distanceJitter: 0.5...2.5),
        MoSIConfig(distanceJitter: 1.5...1.5),
        MoSIConfig(staticMask: .randomRatio(0...0.5)),
        MoSIConfig(staticMask: .fixedRatio(1.5)),
        MoSIConfig(colorJitter: MoSIColorJitter(hue: 0.7)),
        MoSIConfig(colorJitter: MoSIColorJitter(grayscaleProbability: 2)),
    ]
    for config in bad {
        #expect(throws: MoSIError.self) { try MoSISampler(config) }
    }
    #expect(throws: MoSIError.self) { try MoSIGenerator(seed: 0, threads: 0) }
}
