import Foundation
import Synchronization
import KinemaData
import KinemaMotion
import KinemaModels
import KinemaPretext
import KinemaTensor
import KinemaVideo

/// The trainer's side of a masked autoencoder's target (``MaskedTargetSettings``): the decoder it
/// needs, what a loader thread computes per clip, and the loss of a pass with the bar it is
/// measured against (the loss of predicting each masked token's own mean target).
struct PretrainTarget: Sendable {
    let settings: MaskedTargetSettings
    /// VideoMAE's pixels, computed from the normalised clip on the trainer's thread.
    let pixels: PixelTarget
    /// MME's targets, computed from the raw frames on loader threads; nil for pixels.
    let motion: MMETargetConfiguration?
    /// The precomputed flow the motion targets read (`target.cache`), if any.
    let cache: MMEFlowCache?

    init(_ config: VideoMAEPretrainConfig) {
        let vit = config.model.modelName!.vitConfiguration()!
        settings = config.target
        pixels = PixelTarget(
            tubelet: vit.tubeletSize, patch: vit.patchSize, imageChannels: vit.channels,
            normalization: config.data.inputNormalization, normalisePerPatch: config.model.normalizeTarget)
        motion = config.target.isMotion ? config.target.targetConfiguration : nil
        cache = motion.flatMap { config.target.cache.isEmpty ? nil : MMEFlowCache(folder: URL(fileURLWithPath: config.target.cache), configuration: $0) }
    }

    /// The motion targets of a clip cut from `span` (full-rate frames from its first frame on) by
    /// `transform`; nil for pixels. Call on a loader thread: each call makes its own flow estimator.
    /// With a cache, `video` and `indices` (the span's frames in it) locate the cached flow; a
    /// video the cache cannot serve is computed on the fly, and said once on standard error.
    func motionTargets(
        span: [Image], frames: Int, stride: Int, transform: ClipTransform, video: URL? = nil, indices: [Int]? = nil
    ) throws -> MMETargets? {
        guard let motion else { return nil }
        var flows: [FlowField]?
        if let cache, let video, let indices {
            do { flows = try cache.flows(video: video, indices: indices, width: span[0].width, height: span[0].height) } catch {
                Self.warnOnce(video, "\(error); computing its targets on the fly")
            }
        }
        return try MMETargetComputer(motion).targets(
            rawFrames: span, clipFrames: frames, stride: stride, transform: transform, wholeFrameFlows: flows)
    }

    private static let warned = Mutex<Set<URL>>([])

    private static func warnOnce(_ video: URL, _ message: String) {
        guard warned.withLock({ $0.insert(video).inserted }) else { return }
        FileHandle.standardError.write(Data("warning: target.cache: \(message)\n".utf8))
    }

    /// Full-rate frames a training clip needs (nil for pixels: the sampled frames suffice).
    func spanLength(frames: Int, stride: Int) -> Int? {
        motion?.rawFramesNeeded(clipFrames: frames, stride: stride)
    }

    /// The loss of a pass: VideoMAE's mean squared error over the masked tokens' pixels, or MME's
    /// (``MotionTargetLoss``; `ranges`: each motion head's channels).
    func loss(
        _ predictions: Tensor, clip x: Tensor, motion targets: [MMETargets], tokens: MaskedTokens, ranges: [Range<Int>]
    ) throws -> Tensor {
        guard motion != nil else { return predictions.mseLoss(tokens.maskedRows(of: pixels(x))) }
        return MotionTargetLoss(parts: settings.motionParts, ranges: ranges)(
            predictions, try MMETargetBatch(targets, device: x.device), tokens)
    }

    /// The same loss for the predictor that knows each masked token's mean target and nothing
    /// finer (its mean colour, for pixels): the bar the model has to clear.
    func patchMeanLoss(clip x: Tensor, motion targets: [MMETargets], tokens: MaskedTokens, ranges: [Range<Int>]) throws -> Tensor {
        guard motion != nil else {
            let target = tokens.maskedRows(of: pixels(x))
            return pixels.patchMeanPrediction(target).mseLoss(target)
        }
        return MotionTargetLoss(parts: settings.motionParts, ranges: ranges).patchMean(
            try MMETargetBatch(targets, device: x.device), tokens)
    }
}
