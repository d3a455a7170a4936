import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaVideo
import Testing

// KinemaMediaTestSupport has a generator of the same name; these tests use the library's.
private typealias SeededGenerator = KinemaData.SeededGenerator

@Suite struct AugmentationTests {
    /// A frame whose pixel (x, y) holds (x, y, t) so that crops and flips can be read back.
    private func frame(_ t: Int, width: Int = 40, height: Int = 30) -> Image {
        var pixels: [UInt8] = []
        for y in 0..<height { for x in 0..<width { pixels += [UInt8(x), UInt8(y), UInt8(t)] } }
        return Image(width: width, height: height, format: .rgb, pixels: pixels)
    }

    @Test func randomResizedCropStaysInsideAndInRange() {
        let crop = RandomResizedCrop(scale: 0.2...0.6, ratio: 0.75...1.3333)
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let box = crop.sample(width: 171, height: 128, using: &generator)
            #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 171 && box.y + box.height <= 128)
            let fraction = Double(box.width * box.height) / Double(171 * 128)
            // Sides are rounded to whole pixels: allow that much slack.
            #expect(fraction > 0.18 && fraction < 0.63)
            let ratio = Double(box.width) / Double(box.height)
            #expect(ratio > 0.7 && ratio < 1.4)
        }
    }

    @Test func randomResizedCropFallsBackToTheCentre() {
        // Ratios 2…3 at full area never fit a square frame: the centred 100 × 50 (ratio 2) is taken.
        let crop = RandomResizedCrop(scale: 1...1, ratio: 2...3)
        var generator = SeededGenerator(seed: 1)
        #expect(crop.sample(width: 100, height: 100, using: &generator) == CropBox(x: 0, y: 25, width: 100, height: 50))
    }

    @Test func transformCropsFlipsAndKeepsFramesApart() throws {
        let frames = (0..<3).map { frame($0) }
        let transform = ClipTransform(crop: CropBox(x: 5, y: 7, width: 10, height: 10), outputSize: 10, flip: true)
        let out = try transform.apply(to: frames)
        #expect(out.count == 3 && out.allSatisfy { $0.width == 10 && $0.height == 10 })
        for (t, image) in out.enumerated() {
            // Output column c is input column 5 + (9 − c) after the mirror; row r is 7 + r.
            #expect(image.pixel(x: 0, y: 0) == [14, 7, UInt8(t)])
            #expect(image.pixel(x: 9, y: 2) == [5, 9, UInt8(t)])
        }
        #expect(throws: VideoError.self) {
            try ClipTransform(crop: CropBox(x: 35, y: 0, width: 10, height: 10), outputSize: 10).apply(to: frames)
        }
    }

    @Test func augmentationIsDeterministicForASeedAndClipWise() throws {
        let augmentation = ClipAugmentation.mosiFineTune
        // Four identical frames: a clip-wise augmentation must give four identical outputs.
        let clip = Array(repeating: try TestData.photo("chelsea", width: 171, height: 128), count: 4)
        var transforms: [ClipTransform] = []
        for seed in 0..<20 {
            var a = SeededGenerator(seed: 11, index: seed)
            var b = SeededGenerator(seed: 11, index: seed)
            let first = augmentation.sample(width: 171, height: 128, using: &a)
            #expect(first == augmentation.sample(width: 171, height: 128, using: &b))
            transforms.append(first)
        }
        #expect(
            Set(transforms.map(\.crop.x)).count > 5 && transforms.contains { $0.flip }
                && transforms.contains { !$0.flip })
        #expect(
            transforms.contains { $0.color.first == .grayscale } && transforms.contains { $0.color.first != .grayscale }
        )
        let out = try transforms[0].apply(to: clip)
        #expect(out.allSatisfy { $0 == out[0] } && out[0].width == 112 && out[0].height == 112)
        var again = SeededGenerator(seed: 11, index: 0)
        #expect(try augmentation.sample(width: 171, height: 128, using: &again).apply(to: clip) == out)
    }

    @Test func colourJitterDrawsEachFactorOnceInRange() {
        let jitter = ClipColorJitter.mosiFineTune
        var generator = SeededGenerator(seed: 2)
        var grays = 0
        for _ in 0..<400 {
            let steps = jitter.sample(using: &generator)
            if steps.first == .grayscale { grays += 1 }
            let colour = steps.filter { $0 != .grayscale }
            #expect(colour.count == 4)
            for step in colour {
                switch step {
                case .brightness(let f), .contrast(let f), .saturation(let f): #expect(f >= 0.5 && f <= 1.5)
                case .hue(let h): #expect(abs(h) <= 0.25)
                case .grayscale: Issue.record("grayscale is only ever first")
                }
            }
        }
        #expect(grays > 80 && grays < 160)  // p = 0.3 of 400
        #expect(ClipColorJitter.none.sample(using: &generator).isEmpty)
        #expect(throws: DatasetError.self) { try ClipColorJitter(hue: 0.6).validate() }
        #expect(throws: DatasetError.self) { try ClipAugmentation(cropSize: 0).validate() }
    }
}
