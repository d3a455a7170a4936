import Foundation
import KinemaVideo
import KinemaFiles

/// Writes a whole motion benchmark in the UCF101 layout (see ``UCF101Layout``), plus README.txt and
/// manifest.json.
public enum MotionBenchmarkWriter {
    /// The video codecs tried in order: MPEG-4 part 2 (what UCF101's XviD files hold), then Motion JPEG.
    public static let codecs = ["XVID", "mp4v", "MJPG"]

    public struct Summary: Sendable {
        public let root: URL
        public let classes: Int
        public let trainClips: Int
        public let testClips: Int
        public let disjointAssets: Bool
    }

    /// Renders and writes every clip of `config` under `root` (created if needed) on `threads`
    /// threads; the files do not depend on the thread count. `progress(done, total)` is called on
    /// the calling thread after each batch of clips. An existing benchmark in `root` is replaced only
    /// with `overwrite` (its videos/, splits/, README.txt and manifest.json are removed first; nothing
    /// else in `root` is touched). `command` is recorded in README.txt.
    @discardableResult
    public static func write(
        _ config: MotionBenchmarkConfig, assets: MotionBenchmarkAssets, to root: URL, threads: Int = 1, overwrite: Bool = false,
        command: String? = nil, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(MotionBenchmarkError) -> Summary {
        guard assets.kind == config.kind else {
            throw MotionBenchmarkError("the assets are for a \(assets.kind.rawValue) benchmark, the settings ask for \(config.kind.rawValue)")
        }
        let sampler = try MotionBenchmarkSampler(config)
        let pools = assets.pools(seed: config.seed)
        if config.kind == .photos, pools.train.backgrounds.isEmpty || pools.test.backgrounds.isEmpty {
            throw MotionBenchmarkError("photo benchmarks need at least one background")
        }
        let clips = sampler.sampleAll(pools: pools)
        let videos = root.appendingPathComponent(UCF101Layout.videoFolder)
        try prepare(root, classes: config.classes, overwrite: overwrite)

        let batch = max(1, threads) * 4
        for start in stride(from: 0, to: clips.count, by: batch) {
            let slice = Array(clips[start..<min(start + batch, clips.count)])
            do {
                _ = try parallelMap(slice.count, threads: threads) { i in
                    try writeVideo(MotionBenchmarkRenderer.render(slice[i], assets: assets), fps: config.fps,
                                   to: videos.appendingPathComponent(UCF101Layout.videoPath(slice[i])))
                }
            } catch let error as MotionBenchmarkError {
                throw error
            } catch {
                throw MotionBenchmarkError("\(error)")
            }
            progress(start + slice.count, clips.count)
        }

        let manifest = MotionBenchmarkManifest(config: config, pools: pools, assets: assets, clips: clips)
        let splits = root.appendingPathComponent(UCF101Layout.splitFolder)
        try save(UCF101Layout.classIndex(config.classes), to: splits.appendingPathComponent(UCF101Layout.classIndexFile))
        try save(UCF101Layout.trainList(clips), to: splits.appendingPathComponent(UCF101Layout.trainListFile))
        try save(UCF101Layout.testList(clips), to: splits.appendingPathComponent(UCF101Layout.testListFile))
        try save(manifest.readme(command: command), to: root.appendingPathComponent("README.txt"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try save(String(decoding: try encoder.encode(manifest), as: UTF8.self), to: root.appendingPathComponent("manifest.json"))
        } catch let error as MotionBenchmarkError { throw error } catch { throw MotionBenchmarkError("cannot encode manifest.json: \(error)") }
        let trainClips = clips.filter { $0.split == .train }.count
        return Summary(
            root: root, classes: config.classes.count, trainClips: trainClips, testClips: clips.count - trainClips,
            disjointAssets: pools.disjoint)
    }

    /// The files and folders a benchmark consists of, relative to its root.
    static let ownEntries = [UCF101Layout.videoFolder, UCF101Layout.splitFolder, "README.txt", "manifest.json"]

    /// Makes `root`/videos/<Class>/ and `root`/splits/, clearing a previous benchmark when allowed.
    private static func prepare(_ root: URL, classes: [MotionClass], overwrite: Bool) throws(MotionBenchmarkError) {
        let files = FileManager.default
        let existing = ownEntries.filter { files.fileExists(atPath: root.appendingPathComponent($0).path) }
        if !existing.isEmpty && !overwrite {
            throw MotionBenchmarkError(
                "\(root.path) already holds a benchmark (\(existing.joined(separator: ", "))); pass --overwrite to replace it")
        }
        do {
            for entry in existing { try files.removeItem(at: root.appendingPathComponent(entry)) }
            for motion in classes {
                try files.createDirectory(
                    at: root.appendingPathComponent(UCF101Layout.videoFolder).appendingPathComponent(motion.rawValue),
                    withIntermediateDirectories: true)
            }
            try files.createDirectory(at: root.appendingPathComponent(UCF101Layout.splitFolder), withIntermediateDirectories: true)
        } catch {
            throw MotionBenchmarkError("cannot prepare \(root.path): \(error.localizedDescription)")
        }
    }

    private static func writeVideo(_ frames: [Image], fps: Double, to url: URL) throws(MotionBenchmarkError) {
        do {
            let writer = try VideoWriter(url: url, width: frames[0].width, height: frames[0].height, fps: fps, codecs: codecs)
            for frame in frames { try writer.write(frame) }
            try writer.finish()
        } catch {
            throw MotionBenchmarkError("cannot write \(url.path): \(error)")
        }
    }

    private static func save(_ text: String, to url: URL) throws(MotionBenchmarkError) {
        do { try AtomicFile.write(Data(text.utf8), to: url) } catch {
            throw MotionBenchmarkError("\(error)")
        }
    }
}
