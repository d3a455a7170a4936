import KinemaData
import KinemaPretext
import Testing

/// Tube and random masking: VideoMAE's and MME's exact counts, the tube structure, per-sample seeding.
@Suite struct TokenMaskingTests {
    @Test(arguments: [(0.9, 1408, 160), (0.7, 1096, 472)])
    func tubeMaskingCountsOfA16x224Clip(_ ratio: Double, masked: Int, visible: Int) throws {
        // 16×224² in 2×16×16 tubes: 8 × 14 × 14 = 1568 tokens (VideoMAE §3.3, MME §4.1).
        let masking = try TokenMasking(.tube, ratio: ratio)
        var generator = SeededGenerator(seed: 1, index: 0)
        let mask = try masking.mask(frames: 8, height: 14, width: 14, using: &generator)
        #expect(mask.count == 1568 && mask.filter { $0 }.count == masked && mask.filter { !$0 }.count == visible)
        #expect(masking.maskedCount(frames: 8, height: 14, width: 14) == masked)
    }

    @Test func aTubeHidesTheSamePlacesInEveryTemporalSlice() throws {
        var generator = SeededGenerator(seed: 2, index: 5)
        let mask = try TokenMasking(.tube, ratio: 0.75).mask(frames: 4, height: 3, width: 5, using: &generator)
        let slices = (0..<4).map { Array(mask[($0 * 15)..<(($0 + 1) * 15)]) }
        #expect(slices.allSatisfy { $0 == slices[0] } && slices[0].filter { $0 }.count == 11)
    }

    @Test func randomMaskingIsNotTubes() throws {
        let masking = try TokenMasking(.random, ratio: 0.9)
        var generator = SeededGenerator(seed: 3, index: 0)
        let mask = try masking.mask(frames: 8, height: 14, width: 14, using: &generator)
        #expect(mask.filter { $0 }.count == Int(0.9 * 1568))
        let slices = (0..<8).map { Array(mask[($0 * 196)..<(($0 + 1) * 196)]) }
        #expect(!slices.allSatisfy { $0 == slices[0] })
    }

    @Test func masksAreSeededPerSample() throws {
        let masking = try TokenMasking(.tube, ratio: 0.9)
        func draw(_ index: Int) throws -> [Bool] {
            var generator = SeededGenerator(seed: 7, index: index)
            return try masking.mask(frames: 8, height: 14, width: 14, using: &generator)
        }
        #expect(try draw(3) == draw(3))
        #expect(try draw(3) != draw(4))
    }

    @Test func impossibleMasksAreRefused() throws {
        for ratio in [0.0, 1.0, -0.2, 1.5] {
            #expect(throws: MaskingError.self) { try TokenMasking(.tube, ratio: ratio) }
        }
        // 2 positions a slice at ratio 0.4 mask none.
        var generator = SeededGenerator(seed: 0)
        let error = #expect(throws: MaskingError.self) {
            try TokenMasking(.tube, ratio: 0.4).mask(frames: 4, height: 1, width: 2, using: &generator)
        }
        #expect(error?.description.contains("must mask some") == true)
    }
}
