import Foundation
import KinemaData
import KinemaTrain

/// The demo's video, re-encoded once at a short side of 128 (`kinema prepare`): MME and CGM-Net
/// decode a span of it for every clip, and decoding costs about in proportion to the pixels.
enum DemoVideo {
    static let shortSide = 128

    /// `video` prepared into `folder` (the only video there: the folder is the methods' data
    /// source); an already complete copy is reused.
    static func prepare(_ video: URL, into folder: URL) throws -> URL {
        let preparation = VideoPreparation(shortSide: shortSide)
        let target = folder.appendingPathComponent(video.deletingPathExtension().lastPathComponent + "." + preparation.codec.container)
        print("preparing \(video.lastPathComponent) at short side \(shortSide) for MME and CGM-Net …")
        let summary = preparation.prepare(video, to: target)
        for warning in summary.warnings { writeError("warning: \(warning)\n") }
        if let failure = summary.failed.first { throw TrainingRunError(failure) }
        return target
    }
}
