import Foundation
import KinemaData
import KinemaVideo

/// A video that could not be decoded for testing, and why; it is left out of the results.
public struct SkippedVideo: Codable, Sendable, Equatable {
    public var path: String
    public var error: String
}

/// The test views (K clips × M crops, ``VideoClipLoader/testClips(_:)``) of a list of videos,
/// decoded a chunk of videos at a time on background threads (a ``Prefetcher`` over chunks, each
/// decoded by `threads` threads), in order, so the model never waits for a decoder that can keep
/// up. A video that fails to decode is skipped and reported, not fatal (a few broken files among
/// thousands are normal).
struct TestViewStream {
    /// The decoded views of one chunk of videos: `views[i]` (V clips) of video `videos[i]`.
    struct Chunk: Sendable {
        var videos: [Int]
        var views: [[[Image]]]
        var skipped: [(video: Int, error: String)]
    }

    let dataset: VideoDataset
    let videos: [Int]
    let loader: VideoClipLoader
    let videosPerChunk: Int
    let threads: Int

    /// - Parameter clipsPerChunk: about how many clips a chunk holds (at least one video's V views),
    ///   bounding the memory of one forward pass.
    init(dataset: VideoDataset, videos: [Int], loader: VideoClipLoader, clipsPerChunk: Int, threads: Int) {
        self.dataset = dataset
        self.videos = videos
        self.loader = loader
        videosPerChunk = max(1, clipsPerChunk / loader.testViews.count)
        self.threads = max(1, threads)
    }

    var chunkCount: Int { (videos.count + videosPerChunk - 1) / videosPerChunk }

    /// Calls `body` with every chunk in order.
    func forEach(_ body: (Chunk) throws -> Void) throws {
        let (dataset, videos, loader, size, threads) = (dataset, videos, loader, videosPerChunk, threads)
        let prefetcher = Prefetcher<Chunk>(capacity: 2) { chunk in
            // The prefetcher runs ahead of the last chunk: those chunks are empty.
            let members = Array(videos[min(chunk * size, videos.count)..<min((chunk + 1) * size, videos.count)])
            let decoded = try parallelMap(members.count, threads: threads) { i in
                Result<[[Image]], any Error> { try loader.testClips(dataset[members[i]]) }
            }
            var result = Chunk(videos: [], views: [], skipped: [])
            for (video, outcome) in zip(members, decoded) {
                switch outcome {
                case .success(let views):
                    result.videos.append(video)
                    result.views.append(views)
                case .failure(let error):
                    result.skipped.append((video, "\(error)"))
                }
            }
            return result
        }
        defer { prefetcher.stop() }
        for _ in 0..<chunkCount { try body(try prefetcher.next()) }
    }
}
