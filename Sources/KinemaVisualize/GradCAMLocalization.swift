import KinemaData
import KinemaModels
import KinemaTensor
import KinemaVideo

/// Grad-CAM localisation scores (``LocalizationScore``) of a backbone, stage by stage, on clips whose
/// moving and still objects are known pixel by pixel — MoSI Fig. 4 (Huang et al., CVPR 2021) made
/// measurable on the motion benchmark, with Grad-CAM as Selvaraju et al. (ICCV 2017) define it
/// (``GradCAM``).
///
/// ```swift
/// let indices = try GradCAMLocalization.frameIndices(videoFrames: 16, clipFrames: 8)   // 0, 2, …, 14
/// let clip = try GradCAMLocalization.prepare(frames: video, regionImages: regions, indices: indices, size: 64)
/// let scores = try GradCAMLocalization.score(model, clip: clip, stages: [1, 2, 3, 4], mean: m, std: s)
/// let table = GradCAMLocalization.summarize([scores], stages: [1, 2, 3, 4])
/// ```
public enum GradCAMLocalization {
    /// One clip at the model's input size: its frames and where its objects are in them.
    public struct Clip: Sendable {
        public let frames: [Image]
        public let regions: LocalizationRegions
    }

    /// The scores of one clip, one per stage asked for (nil where the stage's map is zero everywhere).
    public struct ClipScores: Sendable, Codable, Equatable {
        /// The class whose Grad-CAM was taken, and the class the model predicts.
        public let explainedClass: Int
        public let predictedClass: Int
        public let stages: [LocalizationScore?]
    }

    /// The frames a clip of `clipFrames` takes from a video of `videoFrames`: `0, s, 2s, …, (T−1)s`
    /// from the first frame, with `stride` s, by default the largest one that fits (the clip spans
    /// the whole video, as the fine-tuning config of the benchmark, 8 frames at stride 2 of 16, does).
    public static func frameIndices(videoFrames: Int, clipFrames: Int, stride: Int? = nil) throws(VisualizeError) -> [Int] {
        guard clipFrames >= 1, videoFrames >= clipFrames else {
            throw .invalid("a clip of \(clipFrames) frames does not fit in a video of \(videoFrames)")
        }
        let stride = stride ?? (clipFrames == 1 ? 1 : (videoFrames - 1) / (clipFrames - 1))
        guard stride >= 1, (clipFrames - 1) * stride < videoFrames else {
            throw .invalid("\(clipFrames) frames at stride \(stride) span \((clipFrames - 1) * stride + 1) frames, the video has \(videoFrames)")
        }
        return (0..<clipFrames).map { $0 * stride }
    }

    /// The model's input and the regions, made the same way: the frames at `indices`, each resized
    /// whole to `size`² (``Image/resized(width:height:)``: area averaging when shrinking), and the
    /// region images at the same indices through the very same resize, so a region stays on the
    /// pixels of its object.
    public static func prepare(frames: [Image], regionImages: [Image], indices: [Int], size: Int) throws(VisualizeError) -> Clip {
        guard frames.count == regionImages.count else {
            throw .invalid("\(frames.count) frames but \(regionImages.count) region images")
        }
        guard size >= 1, !indices.isEmpty, indices.allSatisfy(frames.indices.contains) else {
            throw .invalid("frame indices \(indices) must lie in 0..<\(frames.count) and the size (\(size)) be positive")
        }
        func resized(_ images: [Image]) throws(VisualizeError) -> [Image] {
            do { return try indices.map { index throws(VideoError) in try images[index].resized(width: size, height: size) } } catch {
                throw VisualizeError(.video(error))
            }
        }
        return Clip(frames: try resized(frames), regions: try LocalizationRegions(images: try resized(regionImages)))
    }

    /// The scores of `clip` at each of `stages` (indices into ``Backbone/stages``), for `targetClass`
    /// or, when nil, the predicted class outside `excluding`; the frames are normalised with `mean`/`std` (the model's
    /// training normalisation). The maps are Grad-CAM's `L` upsampled trilinearly to the clip
    /// (``GradCAM/Result/upsampled``), before min–max normalisation, which would shift mass.
    public static func score(
        _ backbone: any Backbone, clip: Clip, stages: [Int], targetClass: Int? = nil, excluding: Set<Int> = [],
        mean: [Float], std: [Float]
    ) throws(VisualizeError) -> ClipScores {
        let device = backbone.namedParameters().first?.tensor.device ?? .cpu
        let input: Tensor
        do { input = try ClipTensor.batch([clip.frames], mean: mean, std: std).to(device) } catch {
            throw .invalid("cannot place the clip on \(device): \(error)")
        }
        var scores: [LocalizationScore?] = []
        var classes = (explained: 0, predicted: 0)
        for stage in stages {
            let cam = try GradCAM.compute(backbone, clip: input, stage: stage, targetClass: targetClass, excluding: excluding)
            let map: [Float]
            do { map = try cam.upsampled.selected(dim: 0, index: 0).to(.cpu).array(of: Float.self) } catch {
                throw .invalid("cannot read the map back to the CPU: \(error)")
            }
            scores.append(try LocalizationScore(map: map, regions: clip.regions))
            classes = (cam.classes[0], Int(cam.logits.argmax(dim: 1).array(of: Int64.self)[0]))
        }
        return ClipScores(explainedClass: classes.explained, predictedClass: classes.predicted, stages: scores)
    }

    /// One stage over many clips: the mean of each number over the clips whose map is not empty,
    /// with a 95 % percentile bootstrap interval over clips (``BootstrapInterval``, seeded).
    public struct StageSummary: Sendable, Codable, Equatable {
        public let stage: Int
        /// Clips scored, and clips left out because the stage's map was zero everywhere.
        public let clips: Int
        public let emptyMaps: Int
        public let movingMass: BootstrapInterval?
        public let stillMass: BootstrapInterval?
        public let backgroundMass: BootstrapInterval?
        public let movingArea: BootstrapInterval?
        public let stillArea: BootstrapInterval?
        public let backgroundArea: BootstrapInterval?
        public let pointing: BootstrapInterval?
    }

    /// Per stage (in the order of `stages`, which `clips` were scored at), the summaries.
    public static func summarize(_ clips: [ClipScores], stages: [Int], seed: UInt64 = 0) -> [StageSummary] {
        stages.indices.map { i in
            let scored = clips.compactMap { $0.stages.indices.contains(i) ? $0.stages[i] : nil }
            func interval(_ value: (LocalizationScore) -> Double) -> BootstrapInterval? {
                BootstrapInterval(of: scored.map(value), seed: seed)
            }
            return StageSummary(
                stage: stages[i], clips: scored.count, emptyMaps: clips.count - scored.count,
                movingMass: interval(\.movingMass), stillMass: interval(\.stillMass), backgroundMass: interval(\.backgroundMass),
                movingArea: interval(\.movingArea), stillArea: interval(\.stillArea), backgroundArea: interval(\.backgroundArea),
                pointing: interval(\.pointing))
        }
    }
}
