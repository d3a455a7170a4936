import Foundation
import KinemaData
import KinemaModels
import KinemaTensor
import KinemaVideo

/// How a video is cut into the views a prediction fuses: which frames (``ClipSampling``, with the
/// evaluation's test-clip placement), the resize and crops (``TestViews``: K clips × M crops), and a
/// fine-tuning's frame-order control.
public struct PredictionSettings: Sendable, Equatable {
    public var sampling: ClipSampling
    public var views: TestViews
    public var control: ClipControl

    public init(sampling: ClipSampling, views: TestViews, control: ClipControl = .none) {
        self.sampling = sampling
        self.views = views
        self.control = control
    }
}

/// A class and its probability, fused over the views.
public struct ClassScore: Codable, Sendable, Equatable {
    public var index: Int
    public var name: String
    public var probability: Double
}

/// What a classifier says about one video (what `kinema predict --json` prints for it).
public struct VideoClassification: Codable, Sendable, Equatable {
    public var video: String
    /// Frames the video has.
    public var frames: Int
    /// Views fused: clips × crops.
    public var views: Int
    /// The best classes, best first (ties: the lower index first).
    public var top: [ClassScore]
}

/// A problem with a video or a request that makes a prediction impossible: which file, and the fix.
public struct PredictionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Classifying videos with a checkpoint as the multi-view test does (``Evaluation``): the video's
/// K × M views (``VideoClipLoader/testClips(_:)``), normalised with the checkpoint's statistics, the
/// model in evaluation mode without gradients, the mean of the per-view softmax (``ViewFusion``),
/// the top k.
///
/// ```swift
/// let checkpoint = try ClassifierCheckpoint.load(URL(fileURLWithPath: "videomae-base-finetuned-kinetics"))
/// let result = try Prediction.classify(URL(fileURLWithPath: "archery.mp4"), with: checkpoint)
/// result.top[0].name   // "archery"
/// ```
public enum Prediction {
    /// Classifies `video` (a file or a folder of frames). `settings` default to the checkpoint's
    /// (one centre clip and crop); `classNames` to the checkpoint's, or "class i" when it has none.
    public static func classify(
        _ video: URL, with checkpoint: ClassifierCheckpoint, settings: PredictionSettings? = nil,
        classNames: [String]? = nil, top k: Int = 5, device: Device = .cpu
    ) throws -> VideoClassification {
        let settings = settings ?? checkpoint.settings
        let names = classNames ?? checkpoint.classNames ?? (0..<checkpoint.classes).map { "class \($0)" }
        guard names.count == checkpoint.classes else {
            throw PredictionError("\(names.count) class names for a classifier of \(checkpoint.classes) classes")
        }
        let shape = ClipShape(frames: settings.sampling.frames, height: settings.views.cropSize, width: settings.views.cropSize)
        if let vit = checkpoint.backbone as? VisionTransformer, let problem = vit.problem(with: shape) {
            throw PredictionError("\(shape) clips do not fit the model: \(problem)")
        }
        let frames = try decodableFrames(video, needed: settings.sampling)
        // Only the test side of the loader is used: the training size and augmentation are inert.
        let loader = try VideoClipLoader(
            sampling: settings.sampling, trainingSize: .shortSide(settings.views.shortSide),
            augmentation: ClipAugmentation(cropSize: settings.views.cropSize, flipProbability: 0), testViews: settings.views,
            control: settings.control)
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: video.path, isDirectory: &isFolder)
        let views = try loader.testClips(VideoItem(url: video, label: 0, isFrameFolder: isFolder.boolValue))
        let x = try ClipTensor.batch(views, mean: checkpoint.statistics.mean, std: checkpoint.statistics.std).to(device)
        let logits = withNoGrad { checkpoint.backbone(x, mode: .eval) }
        let scores = try ViewFusion.softmaxMean(logits, views: views.count).to(.cpu).to(.float32).array(of: Float.self)
        let top = ClassificationTally.topK(scores, k: min(max(k, 1), scores.count)).map {
            ClassScore(index: $0, name: names[$0], probability: Double(scores[$0]))
        }
        return VideoClassification(video: video.path, frames: frames, views: views.count, top: top)
    }

    /// The video's frame count, counted exactly when the container declares fewer than one clip
    /// spans; throws naming the count and the fix when even that is short.
    static func decodableFrames(_ video: URL, needed sampling: ClipSampling) throws -> Int {
        let reader = try VideoReader(video)
        let span = Int(sampling.span(videoFPS: reader.metadata.fps).rounded(.up))
        var frames = reader.metadata.frameCount
        if frames < span { frames = try reader.countFrames() }
        guard frames < span else { return frames }
        let spacing = sampling.targetFPS.map { "at interval \(sampling.stride) at \($0) fps" } ?? "at stride \(sampling.stride)"
        // The largest stride whose span fits: (T − 1)·s + 1 ≤ n exactly, T·s·fps/target ≤ n for TAdaConv's.
        let fps = reader.metadata.fps > 0 && reader.metadata.fps.isFinite ? reader.metadata.fps : (sampling.targetFPS ?? 1)
        let fitting = sampling.targetFPS.map { Int(Double(frames) * $0 / (Double(sampling.frames) * fps)) }
            ?? (sampling.frames > 1 ? (frames - 1) / (sampling.frames - 1) : frames)
        let fix = frames >= sampling.frames && fitting >= 1
            ? "use a longer video or --stride \(fitting) (the largest that fits)" : "use a longer video (a clip has \(sampling.frames) frames)"
        throw PredictionError(
            "\(video.path): \(frames) frame(s) decoded, but \(sampling.frames) frames \(spacing) span \(span); \(fix)")
    }
}
