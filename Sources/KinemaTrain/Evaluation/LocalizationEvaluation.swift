import Foundation
import KinemaData
import KinemaVideo
import KinemaVisualize

/// `kinema localization`: the Grad-CAM localisation scores (``GradCAMLocalization``, MoSI Fig. 4
/// made measurable) of a run's backbone on the clips of a motion benchmark made by
/// `kinema make-dataset`, whose manifest gives every object's exact matte.
///
/// Model input, for each clip: the video file decoded (what fine-tuning reads), the run's `T`
/// frames `0, s, …, (T−1)s` (s: ``Settings/stride``, by default the largest that fits), each
/// whole frame resized to the run's crop size, normalised as the run trained (ImageNet when its
/// config says `normalization: imagenet`, else MoSI's/Kinetics' 0.45/0.225). The regions are
/// rendered from the manifest and the assets and pass through the same frame choice and resize.
public enum LocalizationEvaluation {
    /// Which class Grad-CAM explains.
    public enum Target: String, Sendable, Codable, CaseIterable {
        /// The model's prediction (a pretext model's classes are pretext classes: MoSI Fig. 4).
        case predicted
        /// The clip's benchmark label (a model fine-tuned on the benchmark).
        case label
        /// A MoSI pretext model's most probable motion: its prediction among every class but the
        /// still one, (0, 0), whose evidence is wherever nothing moves.
        case motion
    }

    public struct Settings: Sendable {
        public var split = BenchmarkSplit.test
        /// At most this many clips, taken class by class in turn (nil: every clip of the split).
        public var clips: Int?
        public var target = Target.predicted
        /// Step between the sampled frames (nil: the largest that fits).
        public var stride: Int?
        /// The folder `Tools/data/fetch-benchmark.sh` fills (the benchmark's sprites and backgrounds).
        public var assets = URL(fileURLWithPath: ".deps/data/benchmark")
        public var seed: UInt64 = 0
        /// Where to write a contact sheet (PNG) of the first ``sheetClips`` clips at the last stage
        /// (``GradCAMLocalization/sheet(_:clips:stage:mean:std:columns:)``); nil writes none.
        public var sheet: URL?
        public var sheetClips = 6

        public init() {}
    }

    /// The JSON report.
    public struct Report: Sendable, Codable {
        public struct Input: Sendable, Codable {
            public let frames: Int
            public let stride: Int
            public let frameIndices: [Int]
            public let size: Int
            public let normalization: String
        }

        public struct Stage: Sendable, Codable {
            public let name: String
            public let summary: GradCAMLocalization.StageSummary
        }

        public struct ClipRow: Sendable, Codable {
            public let path: String
            public let label: Int
            public let scores: GradCAMLocalization.ClipScores
        }

        public let run: String
        public let checkpoint: String
        public let step: Int
        public let model: String
        public let benchmark: String
        public let split: BenchmarkSplit
        public let target: Target
        public let input: Input
        /// How the intervals were made.
        public let bootstrap: String
        public let stages: [Stage]
        public let clips: [ClipRow]
        public let seconds: Double
    }

    /// Scores every stage of `run`'s backbone (a MoSI pretraining run or a fine-tuning run, or one
    /// of their checkpoints) on the clips of `benchmark`; `progress(done, total)` before the first clip and after each.
    public static func run(
        _ run: URL, benchmark: URL, settings: Settings = Settings(), progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Report {
        let start = Date()
        let manifest = try MotionBenchmarkManifest.read(from: benchmark)
        let pretrained = try PretrainedBackbone.load(run)
        let clip = pretrained.trainedClip ?? (pretrained.name.spec.clip.frames, pretrained.name.spec.clip.height)
        guard clip.frames <= manifest.config.frames else {
            throw TrainingRunError(
                "\(pretrained.name.rawValue) takes clips of \(clip.frames) frames, the benchmark's videos have \(manifest.config.frames): "
                    + "make one with `kinema make-dataset --frames \(clip.frames)` or more")
        }
        let indices = try GradCAMLocalization.frameIndices(
            videoFrames: manifest.config.frames, clipFrames: clip.frames, stride: settings.stride)
        if settings.target == .label, pretrained.classes != manifest.classes.count {
            throw TrainingRunError(
                "--target label needs a model fine-tuned on this benchmark: its head has \(pretrained.classes) classes, "
                    + "the benchmark \(manifest.classes.count) (a pretext model explains its predicted class)")
        }
        var excluding: Set<Int> = []
        if settings.target == .motion {
            guard let still = pretrained.mosiStillClass else {
                throw TrainingRunError("--target motion needs a MoSI pretraining run (its head's classes are motions), \(run.path) is not one")
            }
            excluding = [still]
        }
        let entries = balanced(manifest.clips.filter { $0.parameters.split == settings.split }, count: settings.clips)
        guard !entries.isEmpty else { throw TrainingRunError("\(benchmark.path) has no \(settings.split.rawValue) clips") }
        let assets = try MotionBenchmarkAssets.load(from: settings.assets, kind: manifest.config.kind, frameSize: manifest.config.size)
        let (mean, std) = (pretrained.normalization.mean, pretrained.normalization.std)
        let stages = Array(pretrained.backbone.stages.indices)
        var rows: [Report.ClipRow] = []
        var shown: [(clip: GradCAMLocalization.Clip, targetClass: Int?)] = []
        progress(0, entries.count)
        for (done, entry) in entries.enumerated() {
            try manifest.check(assets, for: entry)
            let video = benchmark.appendingPathComponent(UCF101Layout.videoFolder).appendingPathComponent(entry.path)
            let frames = try decode(video)
            guard frames.count == entry.parameters.frames else {
                throw TrainingRunError("\(video.path) decodes to \(frames.count) frames, its manifest entry has \(entry.parameters.frames)")
            }
            let input = try GradCAMLocalization.prepare(
                frames: frames, regionImages: try MotionBenchmarkRegions.images(of: entry.parameters, assets: assets),
                indices: indices, size: clip.size)
            let targetClass = settings.target == .label ? entry.parameters.label : nil
            let scores = try GradCAMLocalization.score(
                pretrained.backbone, clip: input, stages: stages, targetClass: targetClass, excluding: excluding, mean: mean, std: std)
            if settings.sheet != nil, shown.count < settings.sheetClips { shown.append((input, scores.explainedClass)) }
            rows.append(Report.ClipRow(path: entry.path, label: entry.parameters.label, scores: scores))
            progress(done + 1, entries.count)
        }
        if let sheet = settings.sheet {
            try GradCAMLocalization.sheet(pretrained.backbone, clips: shown, stage: stages.last!, mean: mean, std: std).write(to: sheet)
        }
        let summaries = GradCAMLocalization.summarize(rows.map(\.scores), stages: stages, seed: settings.seed)
        return Report(
            run: run.path, checkpoint: pretrained.checkpoint.path, step: pretrained.step, model: pretrained.name.rawValue,
            benchmark: benchmark.path, split: settings.split, target: settings.target,
            input: Report.Input(
                frames: clip.frames, stride: indices.count > 1 ? indices[1] - indices[0] : 1, frameIndices: indices,
                size: clip.size, normalization: pretrained.normalization.rawValue),
            bootstrap: "mean over clips; 95 % percentile bootstrap interval, 10000 resamples of the clips, seed \(settings.seed)",
            stages: zip(stages, summaries).map { Report.Stage(name: pretrained.backbone.stages[$0].name, summary: $1) },
            clips: rows, seconds: Date().timeIntervalSince(start))
    }

    /// At most `count` entries, taking each class's clips in turn (first clip of every class, then
    /// the second, …), so that a few clips still cover every class.
    static func balanced(_ entries: [MotionBenchmarkManifest.ClipEntry], count: Int?) -> [MotionBenchmarkManifest.ClipEntry] {
        var seen: [Int: Int] = [:]
        let ranked = entries.map { entry -> (rank: Int, entry: MotionBenchmarkManifest.ClipEntry) in
            defer { seen[entry.parameters.label, default: 0] += 1 }
            return (seen[entry.parameters.label, default: 0], entry)
        }
        let ordered = ranked.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element.entry)
        return Array(ordered.prefix(count ?? ordered.count))
    }

    /// Every frame of a benchmark video, at its own size.
    private static func decode(_ video: URL) throws -> [Image] {
        let reader = try VideoReader(video)
        var frames: [Image] = []
        while let frame = try reader.next() { frames.append(frame) }
        reader.shortfall?.warn()
        return frames
    }
}
