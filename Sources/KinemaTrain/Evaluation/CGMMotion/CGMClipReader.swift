import Foundation
import KinemaData
import KinemaVideo

/// The clips of CGM-Net's motion evaluation (Tian et al., ECCV 2020, §4.1: "we split the videos
/// into clips of 16 frames and discard the too short clips"): consecutive, non-overlapping runs of
/// `T + 1` frames (the `T` a method sees and the frame after them, which it predicts), at the
/// paper's training geometry: each frame decoded with its short side at ``Geometry/shortSide``,
/// then the centre ``Geometry/crop`` square cut out. A tail of fewer than `T + 1` frames is dropped.
public struct CGMClipReader {
    /// Where the frames come from and at which size.
    public struct Geometry: Sendable, Codable, Equatable {
        /// Frames a method sees (T); clips hold T + 1.
        public var frames = 16
        /// The short side frames are resized to (area averaging when shrinking) before cropping.
        public var shortSide = 128
        /// The side of the centre square cut out of each frame.
        public var crop = 112
        /// Every this many decoded frames make one frame of a clip (a run's `data.stride`): 1 is
        /// consecutive frames, as the paper's.
        public var stride = 1

        public init(frames: Int = 16, shortSide: Int = 128, crop: Int = 112, stride: Int = 1) {
            (self.frames, self.shortSide, self.crop, self.stride) = (frames, shortSide, crop, stride)
        }

        /// "consecutive frames", or "frames 3 apart".
        public var framesDescription: String { stride == 1 ? "consecutive frames" : "frames \(stride) apart" }

        /// Nil when the geometry can work; else why not.
        public var problem: String? {
            if frames < 2 { return "a clip needs at least 2 seen frames (T ≥ 2), got \(frames)" }
            if crop < FrameQuality.ssimWindow { return "the crop must be at least \(FrameQuality.ssimWindow) px (the SSIM window), got \(crop)" }
            if shortSide < crop { return "the short side (\(shortSide)) must be at least the crop (\(crop))" }
            if stride < 1 { return "the stride must be at least 1 (consecutive frames), got \(stride)" }
            return nil
        }
    }

    public let url: URL
    public let geometry: Geometry
    private let reader: VideoReader
    /// Frames decoded so far.
    public private(set) var decoded = 0
    /// The index in the video of the first frame of the clip ``next()`` returned last.
    public private(set) var lastClipStart = 0

    /// Frames skipped at the start.
    public let skipped: Int

    /// Opens `url` (a video file or a folder of frames); throws ``VideoError`` when it is missing
    /// or cannot be decoded. `start` skips that fraction of the declared frames first, as training
    /// splits a video with `data.heldOut: end` (its held-out part begins at frame
    /// `⌊frameCount · (1 − heldOutFraction)⌋`).
    public init(_ url: URL, geometry: Geometry, start: Double = 0) throws {
        if let problem = geometry.problem { throw TrainingRunError(problem) }
        guard start >= 0 && start < 1 else { throw TrainingRunError("the start of the scored part must be in [0, 1), got \(start)") }
        self.url = url
        self.geometry = geometry
        reader = try VideoReader(url, size: .shortSide(geometry.shortSide))
        skipped = Int(Double(reader.metadata.frameCount) * start)
        for _ in 0..<skipped {
            guard try reader.next() != nil else { break }
            decoded += 1
        }
    }

    /// The number of clips the container declares frames for (the stream may decode fewer).
    public var declaredClips: Int {
        max(0, reader.metadata.frameCount - skipped) / ((geometry.frames + 1) * geometry.stride)
    }

    /// The next clip's `T + 1` cropped frames (each the first of `stride` decoded ones), or nil
    /// when fewer remain.
    public mutating func next() throws -> [Image]? {
        var clip: [Image] = []
        while clip.count < geometry.frames + 1 {
            guard let frame = try reader.next() else { return nil }
            decoded += 1
            if (decoded - skipped - 1) % geometry.stride != 0 { continue }
            if clip.isEmpty { lastClipStart = decoded - 1 }
            let (w, h, side) = (frame.width, frame.height, geometry.crop)
            clip.append(try frame.cropped(x: (w - side) / 2, y: (h - side) / 2, width: side, height: side))
        }
        return clip
    }

    /// The videos an argument names: a video file; every video file under a folder (sub-folders
    /// included, natural order); or, for a folder holding no video file, the folder itself as one
    /// video of numbered frames.
    public static func videos(at url: URL) throws -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { throw VideoError(url, .missing) }
        guard isFolder.boolValue else { return [url] }
        do {
            return try VideoFrameSource(folder: url).videos
        } catch {
            if case .noFrames = error.reason { return [url] }
            throw error
        }
    }
}
