// MoSI batches in the same-batch layout (MoSI §3.1 "Classification";
// docs/reference-implementations.md §1.1 item 4):
// all C_T clips of a source image sit next to each other, video-major, as the official
// `(B, C_T, …) → (C_T·B, …)` reshape leaves them. Source images are independent, so they are
// generated in parallel; every image draws from its own seeded stream, so a batch is the same
// whichever thread renders which image.
import Foundation
import KinemaData
import KinemaTensor
import KinemaVideo

/// Generates MoSI batches from source images.
public struct MoSIGenerator: Sendable {
    public let sampler: MoSISampler
    /// The run seed; item i of a batch draws from `SeededGenerator(seed: seed, index: item)`.
    public let seed: UInt64
    /// Source images rendered at once.
    public let threads: Int

    public init(_ config: MoSIConfig = MoSIConfig(), seed: UInt64, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(MoSIError) {
        guard threads >= 1 else { throw MoSIError("threads must be at least 1, got \(threads)") }
        sampler = try MoSISampler(config)
        self.seed = seed
        self.threads = threads
    }

    /// The generator of training step `step` (``MoSIConfig/atStep(_:)``: the mask curriculum's
    /// mask for that step); itself when there is no curriculum.
    public func atStep(_ step: Int) throws(MoSIError) -> MoSIGenerator {
        sampler.config.maskCurriculum == nil ? self : try MoSIGenerator(sampler.config.atStep(step), seed: seed, threads: threads)
    }

    /// The group of one source image and its clips, drawn from the stream of `item`.
    public func group(for source: Image, item: Int) throws(MoSIError) -> (group: MoSIGroup, clips: [[Image]]) {
        var generator = SeededGenerator(seed: seed, index: item)
        return try group(for: source, item: item, using: &generator)
    }

    /// A batch from decoded images; `items[b]` numbers image b's random stream (e.g. its dataset
    /// index plus epoch × dataset size, so every epoch draws anew and a repeated epoch repeats).
    public func batch(_ sources: [Image], items: [Int]) throws(MoSIError) -> MoSIBatch {
        guard sources.count == items.count, !sources.isEmpty else {
            throw MoSIError("a batch needs one item number per source image (\(sources.count) images, \(items.count) items)")
        }
        do {
            return MoSIBatch(try parallelMap(sources.count, threads: threads) { b in
                try group(for: sources[b], item: items[b])
            })
        } catch let error as MoSIError { throw error } catch { throw MoSIError("\(error)") }
    }

    /// A batch of items `indices` of `source` in epoch `epoch`: reading (decoding, a video's random
    /// frame) and rendering both run on the worker threads. Throws the source's ``VideoError`` or a
    /// ``MoSIError``.
    public func batch(from source: some StillImageSource, indices: [Int], epoch: Int) throws -> MoSIBatch {
        guard !indices.isEmpty else { throw MoSIError("a batch needs at least one source image") }
        return MoSIBatch(try parallelMap(indices.count, threads: threads) { b in
            let item = epoch * source.count + indices[b]
            var generator = SeededGenerator(seed: seed, index: item)
            let image = try source.image(at: indices[b], using: &generator)
            return try group(for: image, item: item, using: &generator)
        })
    }

    /// Renders the group drawn from `generator`; with random labels, the labels come from a stream
    /// of their own (numbered `item`), so the clips are those of the motion labels.
    private func group<G: RandomNumberGenerator>(
        for source: Image, item: Int, using generator: inout G
    ) throws(MoSIError) -> (group: MoSIGroup, clips: [[Image]]) {
        let drawn = sampler.sampleGroup(sourceWidth: source.width, sourceHeight: source.height, using: &generator)
        let clips = try MoSIRenderer.render(drawn, source: source)
        switch sampler.config.labels {
        case .motion: return (drawn, clips)
        case .random:
            var labels = SeededGenerator(seed: seed ^ Self.labelNoiseStream, index: item)
            return (drawn.withRandomLabels(classes: sampler.config.labelPool.count, using: &labels), clips)
        }
    }

    /// Mixed into the run seed for the label-noise stream (any nonzero constant separates it).
    static let labelNoiseStream: UInt64 = 0x4C41_4245_4C53
}

/// A MoSI batch: B source images × C_T clips, video-major (`clips[C_T·b + i]` is clip i of image b).
public struct MoSIBatch: Sendable {
    public let groups: [MoSIGroup]
    /// `[C_T·B][N]` RGB frames of L².
    public let clips: [[Image]]

    init(_ rendered: [(group: MoSIGroup, clips: [[Image]])]) {
        groups = rendered.map(\.group)
        clips = rendered.flatMap(\.clips)
    }

    /// The class of each clip, `[C_T·B]`.
    public var labels: [Int] { groups.flatMap(\.labels) }

    /// Clips `[C_T·B, 3, N, L, L]` float32 normalised with `normalization` (the official configs:
    /// `.kinetics`, or `.imagenet` when pretraining on ImageNet), and labels `[C_T·B]` int64; the
    /// bytes are converted on up to `threads` threads.
    public func tensors(
        _ normalization: InputNormalization, threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> (clips: Tensor, labels: Tensor) {
        (ClipTensor.batch(clips, normalization, threads: threads), Tensor(labels))
    }
}
