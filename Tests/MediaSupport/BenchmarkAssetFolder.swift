import Foundation
import KinemaVideo

extension TemporaryFolder {
    /// A motion-benchmark asset folder in the layout Tools/data/fetch-benchmark.sh writes, made here
    /// so that benchmark tests need no download: four cut-outs (a coloured square inside a
    /// transparent border) and four textured backgrounds of `backgroundWidth × backgroundHeight`.
    public func benchmarkAssets(backgroundWidth: Int, backgroundHeight: Int) throws -> URL {
        let root = file("assets")
        for sub in ["cutouts", "backgrounds"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for n in 0..<4 {
            var cutout = Image(width: 20, height: 20, format: .rgba, filledWith: [0, 0, 0, 0])
            for y in 4..<16 {
                for x in 4..<16 {
                    cutout.pixels.replaceSubrange(((y * 20 + x) * 4)..<((y * 20 + x) * 4 + 4), with: [UInt8(60 * n), 180, 90, 255])
                }
            }
            try cutout.write(to: root.appendingPathComponent("cutouts/square\(n).png"))
            let count = backgroundWidth * backgroundHeight * 3
            let texture = Image(
                width: backgroundWidth, height: backgroundHeight, format: .rgb,
                pixels: (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ n) })
            try texture.write(to: root.appendingPathComponent("backgrounds/texture\(n).png"))
        }
        return root
    }
}
