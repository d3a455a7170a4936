import Foundation
import KinemaVideo

/// A tiny action-recognition set in the UCF101 layout whose three classes differ only in motion:
/// a bright square moving right, left or down over dim noise (its colour, start and the noise are
/// drawn from the same distributions for every class), for end-to-end fine-tuning tests.
public enum TinyMotionVideos {
    public static let classes = ["MoveRight", "MoveLeft", "MoveDown"]
    public static let trainPerClass = 6
    public static let testPerClass = 3
    public static let frames = 12
    public static let side = 40

    /// Writes `root/videos/<Class>/v_<Class>_gXX_c01.avi` (MJPEG) and `root/splits/` (classInd.txt,
    /// trainlist01.txt, testlist01.txt, CRLF lines as UCF101 ships them); groups 1–3 are the test
    /// videos. The same seed writes the same videos.
    public static func write(to root: URL, seed: UInt64 = 42) throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(at: root)
        try fileManager.createDirectory(at: root.appendingPathComponent("splits"), withIntermediateDirectories: true)
        var trainList = ""
        var testList = ""
        var generator = SeededGenerator(seed: seed)
        for (label, name) in classes.enumerated() {
            try fileManager.createDirectory(at: root.appendingPathComponent("videos/\(name)"), withIntermediateDirectories: true)
            for group in 1...(trainPerClass + testPerClass) {
                let path = "\(name)/v_\(name)_g\(String(format: "%02d", group))_c01.avi"
                try writeVideo(label: label, to: root.appendingPathComponent("videos/\(path)"), using: &generator)
                if group <= testPerClass { testList += "\(path)\r\n" } else { trainList += "\(path) \(label + 1)\r\n" }
            }
        }
        let classInd = classes.enumerated().map { "\($0.offset + 1) \($0.element)\r\n" }.joined()
        try Data(classInd.utf8).write(to: root.appendingPathComponent("splits/classInd.txt"))
        try Data(trainList.utf8).write(to: root.appendingPathComponent("splits/trainlist01.txt"))
        try Data(testList.utf8).write(to: root.appendingPathComponent("splits/testlist01.txt"))
    }

    /// A 10-pixel square of a random bright colour moving 2 pixels a frame in the class's
    /// direction from a random start, over dim noise.
    private static func writeVideo(label: Int, to url: URL, using generator: inout SeededGenerator) throws {
        let (dx, dy) = [(2, 0), (-2, 0), (0, 2)][label]
        let square = 10
        // The square travels 2·(frames − 1) = 22 pixels from a start within 4 pixels of its side.
        let margin = Int.random(in: 0...4, using: &generator)
        let across = Int.random(in: 0...(side - square), using: &generator)
        let startX = dx > 0 ? margin : dx < 0 ? side - square - margin : across
        let startY = dy > 0 ? margin : across
        let color = (0..<3).map { _ in UInt8.random(in: 180...255, using: &generator) }
        let writer = try VideoWriter(url: url, width: side, height: side, fps: 25, codecs: ["MJPG", "mp4v"])
        for t in 0..<frames {
            var pixels = (0..<(side * side * 3)).map { _ in UInt8.random(in: 20...70, using: &generator) }
            let (x0, y0) = (startX + dx * t, startY + dy * t)
            for y in y0..<(y0 + square) {
                for x in x0..<(x0 + square) {
                    for c in 0..<3 { pixels[(y * side + x) * 3 + c] = color[c] }
                }
            }
            try writer.write(Image(width: side, height: side, format: .rgb, pixels: pixels))
        }
        try writer.finish()
    }
}
