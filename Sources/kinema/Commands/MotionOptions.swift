import ArgumentParser
import Foundation
import KinemaMotion

/// What `kinema flow` and `kinema trajectories` share: the input video, the flow method, the
/// optional resize and camera-motion removal, and the loop over consecutive frame pairs.
struct MotionOptions: ParsableArguments {
    @Argument(help: "A video file or a folder of frames.")
    var video: String

    @Option(help: "Flow method: \(FlowMethod.names.joined(separator: ", ")).")
    var method = "dis-medium"

    @Option(help: "Resize frames so the shorter side has this many pixels (default: native size).")
    var shortSide: Int?

    @Flag(help: "Remove camera motion first (iDT/MME warped flow: ORB matches + flow correspondences, RANSAC homography).")
    var removeCameraMotion = false

    @Option(help: "Stop after this many frame pairs.")
    var maxPairs: Int?

    @Option(help: "Where the outputs go (created if needed).")
    var output: String

    @Option(help: "Preview file name inside --output (.mp4 or .gif), or 'none'.")
    var preview = "preview.mp4"

    func validate() throws {
        guard FlowMethod(name: method) != nil else {
            throw ValidationError("unknown --method '\(method)'; use one of \(FlowMethod.names.joined(separator: ", "))")
        }
        if let shortSide, shortSide < 16 { throw ValidationError("--short-side must be at least 16") }
        if let maxPairs, maxPairs < 1 { throw ValidationError("--max-pairs must be positive") }
        guard FileManager.default.fileExists(atPath: video) else { throw ValidationError("no video or frame folder at \(video)") }
        guard preview == "none" || ["mp4", "gif", "avi", "mkv"].contains((preview as NSString).pathExtension.lowercased()) else {
            throw ValidationError("--preview must end in .mp4, .gif, .avi or .mkv (or be 'none')")
        }
    }

    var outputURL: URL { URL(fileURLWithPath: output) }

    /// One consecutive frame pair with its flow (camera motion removed when asked).
    struct Pair {
        let index: Int
        let first: Image
        let second: Image
        let flow: FlowField
        let camera: CameraMotion?
    }

    /// Opens the video and the preview, then calls `body` for every consecutive frame pair with a
    /// progress bar; returns the reader's metadata and the number of pairs.
    @discardableResult
    func forEachPair(
        previewSize: (Int, Int) -> (width: Int, height: Int), _ body: (Pair, (any FrameWriter)?) throws -> Void
    ) throws -> (metadata: VideoMetadata, pairs: Int) {
        try FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
        let reader = try VideoReader(URL(fileURLWithPath: video), size: shortSide.map { .shortSide($0) } ?? .native)
        let estimator = try FlowMethod(name: method)!.makeEstimator()
        let compensator = removeCameraMotion ? try CameraMotionCompensator(flow: estimator) : nil
        let size = previewSize(reader.outputWidth, reader.outputHeight)
        let fps = reader.metadata.fps > 0 ? reader.metadata.fps : 25
        let writer = preview == "none"
            ? nil : try makeFrameWriter(url: outputURL.appendingPathComponent(preview), width: size.width, height: size.height, fps: fps)
        let total = min(max(reader.metadata.frameCount - 1, 1), maxPairs ?? Int.max)
        let bar = ProgressBar(total: total, label: "\(method)")
        guard var previous = try reader.next() else { throw VideoError(path: video, reason: .noFrames("nothing decoded")) }
        var index = 0
        while index < total, let frame = try reader.next() {
            let pair: Pair
            if let compensator {
                let result = try compensator.compensatedFlow(from: previous, to: frame)
                pair = Pair(index: index, first: previous, second: frame, flow: result.flow, camera: result.camera)
            } else {
                pair = Pair(index: index, first: previous, second: frame, flow: try estimator.flow(from: previous, to: frame), camera: nil)
            }
            try body(pair, writer)
            index += 1
            bar.update(index)
            previous = frame
        }
        if index < total { bar.stop(at: index, because: "the video has no more frames") }
        reader.shortfall?.warn()
        try writer?.finish()
        return (reader.metadata, index)
    }
}

/// Two images of one height side by side (for previews).
func sideBySide(_ left: Image, _ right: Image) throws(VideoError) -> Image {
    let (a, b) = (try left.converted(to: .rgb), try right.converted(to: .rgb))
    var pixels: [UInt8] = []
    pixels.reserveCapacity((a.width + b.width) * a.height * 3)
    for row in 0..<a.height {
        pixels += a.pixels[(row * a.width * 3)..<((row + 1) * a.width * 3)]
        pixels += b.pixels[(row * b.width * 3)..<((row + 1) * b.width * 3)]
    }
    return Image(width: a.width + b.width, height: a.height, format: .rgb, pixels: pixels)
}

/// A JSON-lines log of the camera homographies (one object per frame pair).
final class CameraLog {
    private let handle: FileHandle

    init(_ url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    func append(pair: Int, _ camera: CameraMotion) throws {
        let h = camera.homography.map { String(format: "%.8g", $0) }.joined(separator: ",")
        let line = "{\"pair\":\(pair),\"estimated\":\(camera.isEstimated),\"inlier_ratio\":\(String(format: "%.4f", camera.inlierRatio)),"
            + "\"matches\":\(camera.featureMatches + camera.flowMatches),\"homography\":[\(h)]}\n"
        try handle.write(contentsOf: Data(line.utf8))
    }

    deinit { try? handle.close() }
}
