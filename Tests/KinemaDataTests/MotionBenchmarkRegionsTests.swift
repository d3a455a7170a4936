import Foundation
import KinemaData
import KinemaVideo
import Testing

/// An opaque `side × side` square sprite.
private func square(_ side: Int) -> Image {
    Image(width: side, height: side, format: .rgba, filledWith: [200, 100, 50, 255])
}

@Test func regionsSplitEachPixelAmongTheActorTheCompanionItOccludesAndTheBackground() throws {
    let assets = try MotionBenchmarkAssets(
        cutouts: [("a", square(9)), ("b", square(9))],
        backgrounds: [("flat", Image(width: 64, height: 64, format: .rgb, filledWith: [9, 9, 9]))])
    // Unscaled, unrotated 9-px squares at whole-pixel centres: the actor covers x, y in 16...24, the
    // companion x in 20...28 (its left half hidden behind the actor), y in 16...24, in both frames.
    func placed(_ sprite: Int, x: Double) -> PlacedObject {
        PlacedObject(sprite: sprite, baseSize: 9, mirrored: false, poses: Array(repeating: ObjectPose(x: x, y: 20), count: 2))
    }
    let clip = MotionBenchmarkClip(
        motion: .moveRight, label: 0, group: 1, clip: 1, split: .test, frames: 2, size: 40, background: nil,
        companion: placed(1, x: 24), actor: placed(0, x: 20), camera: Array(repeating: .zero, count: 2))
    let images = try MotionBenchmarkRegions.images(of: clip, assets: assets)
    #expect(images.count == 2)
    for image in images {
        #expect(image.width == 40 && image.height == 40 && image.format == .rgb)
        for y in 0..<40 {
            for x in 0..<40 {
                let expected: [UInt8] = switch (x, y) {
                case (16...24, 16...24): [255, 0, 0]
                case (25...28, 16...24): [0, 255, 0]
                default: [0, 0, 255]
                }
                #expect(image.pixel(x: x, y: y) == expected, "pixel (\(x), \(y))")
            }
        }
    }
}

@Test func aMissingManifestIsAClearError() throws {
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("no-manifest-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(throws: MotionBenchmarkError("\(folder.path) has no manifest.json: not a benchmark made by `kinema make-dataset` (or made before manifests existed)")) {
        try MotionBenchmarkManifest.read(from: folder)
    }
}
