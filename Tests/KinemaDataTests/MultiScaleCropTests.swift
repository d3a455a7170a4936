import KinemaData
import Testing

/// TSN's multi-scale crop as VideoMAE draws it, on a 320 × 256 frame for a 224² output, against
/// the candidates worked out by hand from `GroupMultiScaleCrop._sample_crop_size` and
/// `fill_fix_offset(more_fix_crop=True)`.
@Suite struct MultiScaleCropTests {
    @Test func sizesArePairsOfScaledShortSidesAtMostOneStepApart() {
        // Short side 256 × [1, .875, .75, .66] truncated: 256, 224, 192, 168 (224 is the output size).
        let sides = [256, 224, 192, 168]
        var expected: Set<[Int]> = []
        for i in 0..<4 { for j in 0..<4 where abs(i - j) <= 1 { expected.insert([sides[j], sides[i]]) } }
        #expect(expected.count == 10)
        var seen: Set<[Int]> = []
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<3000 {
            let box = MultiScaleCrop().sample(width: 320, height: 256, outputSize: 224, using: &generator)
            seen.insert([box.width, box.height])
            #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 320 && box.y + box.height <= 256)
        }
        #expect(seen == expected)
    }

    @Test func placesAreTheThirteenFixedOffsets() {
        // A 192 × 168 crop leaves 128 × 88: steps of 32 and 22.
        var expected: Set<[Int]> = []
        for (i, j) in [(0, 0), (4, 0), (0, 4), (4, 4), (2, 2), (0, 2), (4, 2), (2, 4), (2, 0), (1, 1), (3, 1), (1, 3), (3, 3)] {
            expected.insert([32 * i, 22 * j])
        }
        var seen: Set<[Int]> = []
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<20000 {
            let box = MultiScaleCrop().sample(width: 320, height: 256, outputSize: 224, using: &generator)
            if box.width == 192 && box.height == 168 { seen.insert([box.x, box.y]) }
        }
        #expect(seen == expected)
    }

    @Test func sidesWithinThreePixelsOfTheOutputSnapToIt() {
        // Short side 226: 226 (within 3 of 224: snaps to it), 197, 169, 149.
        var generator = SeededGenerator(seed: 3)
        var widths: Set<Int> = []
        for _ in 0..<2000 { widths.insert(MultiScaleCrop().sample(width: 300, height: 226, outputSize: 224, using: &generator).width) }
        #expect(widths == [224, 197, 169, 149])
    }
}
