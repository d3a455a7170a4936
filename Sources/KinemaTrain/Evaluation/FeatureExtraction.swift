import Foundation
import KinemaData
import KinemaModels
import KinemaNN
import KinemaTensor

/// Pooled backbone features of a dataset's test views: what `kinema features` writes and a 2-D
/// embedding of the representation is drawn from (MoSI Fig. 5).
public struct ExtractedFeatures {
    /// `[N, V, D]`: each video's V views (K clips × M crops), D = the backbone's feature size.
    public var clipFeatures: Tensor
    /// `[N, D]`: the mean over a video's views.
    public var videoFeatures: Tensor
    /// N labels.
    public var labels: [Int]
    /// N video paths.
    public var paths: [String]
    public var classNames: [String]
    public var skipped: [SkippedVideo]

    /// Writes `clip_features`, `video_features` and `labels` (int64) to a safetensors file, with
    /// the class names, paths and `description` in its metadata (JSON strings).
    public func write(to url: URL, description: String) throws {
        func json(_ value: some Encodable) throws -> String { String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
        try Safetensors.save(
            Safetensors.Contents(
                tensors: [
                    "clip_features": try clipFeatures.to(Device.cpu), "video_features": try videoFeatures.to(Device.cpu),
                    "labels": Tensor(labels.map(Int64.init)),
                ],
                metadata: [
                    "class_names": try json(classNames), "paths": try json(paths), "description": description,
                ]),
            to: url)
    }
}

extension Evaluation {
    /// The features (``Backbone/features(_:mode:)``, evaluation mode) of every view of `videos`
    /// of `dataset` (all by default), decoded as the multi-view test does.
    public static func features(
        _ model: any Backbone, of dataset: VideoDataset, videos: [Int]? = nil, loader: VideoClipLoader, input: ClipInput,
        clipsPerBatch: Int = 16, threads: Int = 1, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> ExtractedFeatures {
        let videos = videos ?? Array(dataset.items.indices)
        let views = loader.testViews.count
        var chunks: [Tensor] = []
        var kept: [Int] = []
        var skipped: [SkippedVideo] = []
        let stream = TestViewStream(
            dataset: dataset, videos: videos, loader: loader, clipsPerChunk: clipsPerBatch, threads: threads)
        try stream.forEach { chunk in
            skipped += chunk.skipped.map { SkippedVideo(path: dataset[$0.video].url.path, error: $0.error) }
            if !chunk.videos.isEmpty {
                let x = try input.tensor(chunk.views.flatMap { $0 }, threads: threads)
                let features = try withNoGrad { model.features(x, mode: .eval) }.to(Device.cpu)
                chunks.append(features.reshaped([chunk.videos.count, views, model.featureDimension]))
                kept += chunk.videos
            }
            progress(kept.count + skipped.count, videos.count)
        }
        guard !kept.isEmpty else { throw TrainingRunError("no video could be decoded (\(skipped.count) skipped)") }
        let clipFeatures = Tensor.cat(chunks, dim: 0)
        return ExtractedFeatures(
            clipFeatures: clipFeatures, videoFeatures: clipFeatures.mean(dims: [1]), labels: kept.map { dataset[$0].label },
            paths: kept.map { dataset[$0].url.path }, classNames: dataset.classNames, skipped: skipped)
    }
}
