import Foundation
import KinemaData
import KinemaTensor
import Testing

// KinemaMediaTestSupport has a generator of the same name; these tests use the library's.
private typealias SeededGenerator = KinemaData.SeededGenerator

/// Random erasing's sampler against timm's definition (probability, area fraction [0.02, 1/3],
/// aspect ratio h / w log-uniform in [0.3, 1/0.3], boxes strictly smaller than the frame) in both
/// placements, and its renderer: noise inside the boxes, every other value untouched.
@Suite struct RandomErasingTests {
    private let frames = 8
    private let width = 56
    private let height = 40

    private func draws(_ erasing: RandomErasing, count: Int, seed: UInt64) -> [ClipErasure] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in erasing.sample(frames: frames, width: width, height: height, using: &generator) }
    }

    /// Sides are rounded to whole pixels (Python's round), so the area and ratio bounds get that slack.
    private func checkShape(_ box: CropBox, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height, sourceLocation: sourceLocation)
        #expect(box.width < width && box.height < height, sourceLocation: sourceLocation)
        let (w, h) = (Double(box.width), Double(box.height))
        let area = Double(width * height)
        #expect((w - 0.5) * (h - 0.5) <= area / 3 + 1e-9 && (w + 0.5) * (h + 0.5) >= 0.02 * area, "\(box)", sourceLocation: sourceLocation)
        #expect((h - 0.5) / (w + 0.5) <= 1 / 0.3 && (h + 0.5) / (w - 0.5) >= 0.3, "\(box)", sourceLocation: sourceLocation)
    }

    @Test func clipModeErasesOneBoxInEveryFrameWithTheProbability() {
        let samples = draws(RandomErasing(probability: 0.25, mode: .clip), count: 4000, seed: 1)
        let erased = samples.filter { !$0.isEmpty }
        let p = Double(erased.count) / 4000
        #expect(abs(p - 0.25) < 5 * (0.25 * 0.75 / 4000).squareRoot(), "erased share \(p)")
        for erasure in erased {
            #expect(erasure.boxes.count == frames && erasure.boxes.allSatisfy { $0 == erasure.boxes[0] }, "one box for the whole clip")
            checkShape(erasure.boxes[0]!)
        }
    }

    @Test func frameModeDrawsEachFrameOnItsOwn() {
        let samples = draws(RandomErasing(probability: 0.25, mode: .frame), count: 1000, seed: 2)
        let boxes = samples.flatMap(\.boxes)
        let p = Double(boxes.compactMap { $0 }.count) / Double(boxes.count)
        #expect(abs(p - 0.25) < 5 * (0.25 * 0.75 / Double(boxes.count)).squareRoot(), "erased share \(p)")
        for box in boxes.compactMap({ $0 }) { checkShape(box) }
        let mixed = samples.filter { erasure in Set(erasure.boxes.map { $0?.x }).count > 1 }
        #expect(mixed.count > 500, "frames of one clip get different boxes")
    }

    @Test func theBoxAreaAndRatioSpanTheirRanges() {
        let boxes = draws(RandomErasing(probability: 1, mode: .clip), count: 3000, seed: 3).compactMap { $0.boxes[0] }
        // Most draws fit at once; the rest retry (boxes taller or wider than the frame are refused).
        #expect(boxes.count == 3000)
        let fractions = boxes.map { Double($0.width * $0.height) / Double(width * height) }
        let ratios = boxes.map { log(Double($0.height) / Double($0.width)) }
        #expect(fractions.min()! < 0.04 && fractions.max()! > 0.3)
        #expect(ratios.min()! < log(0.4) && ratios.max()! > log(2.5))
    }

    @Test func theRendererReplacesTheBoxesByNoiseAndNothingElse() throws {
        let clips = Tensor.randn([2, 3, frames, height, width], generator: try Generator(seed: 9))
        let before = clips.copied()
        let boxes: [CropBox?] = (0..<frames).map { t in t % 3 == 0 ? nil : CropBox(x: t, y: 2 * t, width: 20, height: 10) }
        let erasure = ClipErasure(boxes: boxes, noiseSeed: 42)
        try erasure.apply(to: clips, clip: 1)
        let mask = Tensor.zeros([2, 3, frames, height, width])
        for (t, box) in boxes.enumerated() {
            guard let box else { continue }
            try mask.checked.assign(1.0, at: 1, TensorIndex.all, t, box.y..<(box.y + 10), box.x..<(box.x + 20))
        }
        let changed = (clips .!= before).to(.float32)
        #expect(changed.isEqual(to: mask), "exactly the boxes of clip 1 change")
        let noise = try clips.checked.indexed(1, TensorIndex.all, 1, 2..<12, 1..<21)
        #expect(abs(noise.mean().item(Double.self)) < 0.2 && abs(noise.variance().item(Double.self) - 1) < 0.3)
        // Deterministic given the seed; another frame's box holds other values.
        let again = before.copied()
        try erasure.apply(to: again, clip: 1)
        #expect(again.isEqual(to: clips))
        let other = try clips.checked.indexed(1, TensorIndex.all, 2, 4..<14, 2..<22)
        #expect(!other.isEqual(to: noise))
    }

    @Test func aBoxOutsideTheClipIsAnError() throws {
        let clips = Tensor.zeros([1, 3, 2, 8, 8])
        let erasure = ClipErasure(boxes: [CropBox(x: 4, y: 0, width: 5, height: 2), nil], noiseSeed: 1)
        #expect(throws: TorchError.self) { try erasure.apply(to: clips, clip: 0) }
        #expect(throws: TorchError.self) { try ClipErasure(boxes: [nil], noiseSeed: 1).apply(to: clips, clip: 0) }
        #expect(throws: DatasetError.self) { try RandomErasing(probability: 1.5).validate() }
    }
}
