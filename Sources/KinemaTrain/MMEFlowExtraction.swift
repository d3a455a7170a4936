import Foundation
import KinemaData
import KinemaPretext
import KinemaVideo
import Synchronization

/// `kinema mme extract`: fills `target.cache` (``MMEFlowCache``) with the flow of every training
/// and held-out video of an MME pretraining config, decoded exactly as training decodes them.
/// Resumable: a video whose entry is complete and intact is skipped, one that is missing, stale or
/// corrupt is (re)computed; entries are written atomically, so a stopped run leaves no torn file.
public enum MMEFlowExtraction {
    public struct Summary: Sendable {
        public var videos = 0, extracted = 0, alreadyComplete = 0
        /// Videos that could not be extracted, with why.
        public var failed: [String] = []
        /// Frame pairs extracted, bytes of the entries written, and the wall-clock seconds.
        public var pairs = 0, bytes = 0
        public var seconds = 0.0
    }

    /// Extracts on `threads` threads (one video each at a time); `progress(done, total, summary)`
    /// is called after each video, under a lock.
    public static func run(
        _ config: VideoMAEPretrainConfig, threads: Int, progress: @escaping @Sendable (Int, Int, Summary) -> Void = { _, _, _ in }
    ) throws -> Summary {
        guard config.target.isMotion else { throw MMETargetError("target.kind \(config.target.kind) has no motion targets to cache") }
        guard !config.target.cache.isEmpty else { throw MMETargetError("target.cache names no folder to extract into") }
        let started = Date()
        let cache = MMEFlowCache(folder: URL(fileURLWithPath: config.target.cache), configuration: config.target.motion)
        let loader = try config.data.loader()
        let (training, heldOut, _) = try config.data.videos()
        var seen = Set<URL>()
        let videos = (training + heldOut).filter { seen.insert($0.url).inserted }
        let state = Mutex((done: 0, summary: Summary(videos: videos.count)))
        _ = try parallelMap(videos.count, threads: threads) { i in
            let video = videos[i]
            var outcome = Summary()
            do {
                guard let first = try VideoReader(video.url, size: loader.trainingSize, folderFPS: loader.folderFPS).next() else {
                    throw MMETargetError("no frame decodes")
                }
                if cache.isComplete(video: video.url, width: first.width, height: first.height) {
                    outcome.alreadyComplete = 1
                } else {
                    let frames = try loader.allTrainingFrames(video)
                    try cache.extract(video: video.url, frames: frames)
                    let bytes = try FileManager.default.attributesOfItem(atPath: cache.entry(for: video.url).path)[.size] as? NSNumber
                    (outcome.extracted, outcome.pairs, outcome.bytes) = (1, frames.count - 1, bytes?.intValue ?? 0)
                }
            } catch {
                outcome.failed = ["\(video.url.path): \(error)"]
            }
            state.withLock { state in
                state.done += 1
                state.summary.extracted += outcome.extracted
                state.summary.alreadyComplete += outcome.alreadyComplete
                state.summary.failed += outcome.failed
                state.summary.pairs += outcome.pairs
                state.summary.bytes += outcome.bytes
                state.summary.seconds = Date().timeIntervalSince(started)
                progress(state.done, videos.count, state.summary)
            }
        }
        return state.withLock { $0.summary }
    }
}
