import KinemaData
import KinemaVideo

/// A training batch, decoded off the training thread.
struct FineTuneBatch: Sendable {
    var clips: [[Image]]
    var labels: [Int]
    /// Random erasing of each clip, rendered on the normalised tensor (empty when off).
    var erasures: [ClipErasure]
    var skipped: [String]
}

/// Makes the training batch of any step from the step alone, so that a resumed run sees what an
/// uninterrupted one would. Step s takes videos s·V ..< (s+1)·V of its epoch's seeded permutation
/// (V = batchSize / k videos a step), and each video gives k clips (repeated augmentation): video
/// v of step s is sampled and augmented with the generator of index s·B + v·k (B = batchSize; with
/// k = 1, the index of its clip), and clip j's random erasing is drawn with the generator of index
/// s·B + j. A video that fails to decode is replaced by the next one in the dataset (reported), so
/// one broken file does not stop a long run. A data-parallel rank makes the videos of its
/// ``BatchShard`` of every step (with their global indices, so the draws are the same).
struct FineTuneBatchMaker: Sendable {
    let train: VideoDataset
    let loader: VideoClipLoader
    let erasing: RandomErasing?
    let seed: UInt64
    let batchSize: Int
    let repeats: Int
    let threads: Int
    /// The positions among the step's videos that this rank makes.
    let videoPositions: [Int]

    init(config: FineTuneConfig, train: VideoDataset, loader: VideoClipLoader, shard: BatchShard) throws {
        (self.train, self.loader, erasing, seed) = (train, loader, config.data.erasing, config.run.seed)
        (batchSize, repeats, threads) = (config.data.batchSize, config.data.repeatedAugmentation, config.data.loaderThreads)
        videoPositions = try shard.of(Array(0..<(batchSize / repeats)))
    }

    func batch(step: Int) throws -> FineTuneBatch {
        let (indices, _) = TrainingOrder.wrapping(step: step, batch: batchSize / repeats, count: train.count, seed: seed)
        let videos = try parallelMap(videoPositions.count, threads: threads) { k in
            let v = videoPositions[k]
            var generator = SeededGenerator(seed: seed &+ 5, index: step * batchSize + v * repeats)
            var skipped: [String] = []
            for attempt in 0..<min(train.count, 5) {
                let item = train[(indices[v] + attempt) % train.count]
                do {
                    return (try loader.trainingClips(item, count: repeats, using: &generator), item.label, skipped)
                } catch {
                    skipped.append("\(error)")
                }
            }
            throw TrainingRunError("5 training videos in a row failed to decode:\n  " + skipped.joined(separator: "\n  "))
        }
        let clips = videos.flatMap(\.0)
        let clipIndices = videoPositions.flatMap { v in (0..<repeats).map { v * repeats + $0 } }
        let erasures = erasing.map { erasing in
            clips.indices.map { j in
                var generator = SeededGenerator(seed: seed &+ 7, index: step * batchSize + clipIndices[j])
                return erasing.sample(
                    frames: clips[j].count, width: clips[j][0].width, height: clips[j][0].height, using: &generator)
            }
        }
        return FineTuneBatch(
            clips: clips, labels: videos.flatMap { Array(repeating: $0.1, count: repeats) }, erasures: erasures ?? [],
            skipped: videos.flatMap(\.2))
    }
}
