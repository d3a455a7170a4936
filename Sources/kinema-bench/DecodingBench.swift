import Foundation
import KinemaData
import KinemaVideo

/// `--only decoding`: training clips a second that 1, 2, … (up to the core count) decoding threads
/// make from a folder of videos as they are and from the same videos after `kinema prepare
/// --short-side 128`, so a user can size the loader threads (`run.dataWorkers ×
/// data.loaderThreads`) a GPU needs and see whether preparing the dataset is worth it.
///
/// A clip is what a 112² VideoMAE / MME training decodes: 16 frames at stride 4 from a seeded
/// place, at short side 128, before the crop (``VideoClipLoader/trainingFrames(_:portion:using:)``).
/// Clip i comes from video i mod V with the generator of index i, so both sides decode the same
/// clips. The threads are a ``Prefetcher``'s workers, one clip an item, taken in order as a
/// trainer takes its steps; OpenCV runs on one thread, so a decoding thread is one core. Runs of
/// the two sides alternate over `rounds` rounds (the one that goes first rotates); a run's time
/// ends when its last clip arrives. The ratio prepared/original is of speeds (clips a second): the
/// geometric mean of the per-round ratios with a 95 % Student-t interval (``RatioInterval``).
struct DecodingBench {
    let rounds: Int
    let videos: URL
    /// Seconds the original side's run of one thread should last (the prepared side's are shorter).
    var secondsPerRun = 1.5

    static let (frames, stride, shortSide) = (16, 4, 128)

    func run() throws {
        guard FileManager.default.fileExists(atPath: videos.path) else {
            print("decoding: skipped, no videos at \(videos.path) (`make testdata` fetches the test videos; --videos DIR measures yours)")
            return
        }
        OpenCV.setThreadCount(1)
        defer { OpenCV.setThreadCount(-1) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-bench-decoding-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let preparation = VideoPreparation(shortSide: Self.shortSide)
        let summary = try preparation.run(source: videos, output: scratch, threads: cores)
        for failure in summary.failed { print("  left out, \(failure)") }
        let pairs = try preparation.outputs(source: videos, output: scratch).filter { FileManager.default.fileExists(atPath: $0.output.path) }
        guard !pairs.isEmpty else { throw BenchError("decoding: no video under \(videos.path) could be prepared") }
        print(String(
            format: "decoding %dx%d clips at short side %d (VideoClipLoader.trainingFrames, OpenCV on one thread), clip i from video i mod %d "
                + "of %@ (%.1f MB); prepared: kinema prepare --short-side %d --codec %@ on %d threads, %.1f MB, %.1f s",
            Self.frames, Self.stride, Self.shortSide, pairs.count, videos.path, Double(summary.inputBytes) / 1e6, Self.shortSide,
            preparation.codec.rawValue, cores, Double(summary.outputBytes) / 1e6, summary.seconds))

        let loader = try VideoClipLoader(
            sampling: ClipSampling(frames: Self.frames, stride: Self.stride, targetFPS: nil), trainingSize: .shortSide(Self.shortSide),
            augmentation: ClipAugmentation(cropSize: Self.shortSide * 7 / 8),
            testViews: TestViews(clips: 1, crops: 1, shortSide: Self.shortSide, cropSize: Self.shortSide * 7 / 8))
        let (original, prepared) = (pairs.map(\.video), pairs.map(\.output))
        // Two clips of every video on each side first: warm the file cache, and time both sides so
        // that each run lasts about `secondsPerRun` (the prepared side decodes `factor` times the
        // clips of the original side's run, so its runs are not too short to time).
        _ = try seconds(loader, original, threads: 1, clips: pairs.count)
        _ = try seconds(loader, prepared, threads: 1, clips: pairs.count)
        let originalClip = try seconds(loader, original, threads: 1, clips: pairs.count) / Double(pairs.count)
        let factor = max(1, Int(originalClip / (try seconds(loader, prepared, threads: 1, clips: pairs.count) / Double(pairs.count))))
        let clipsPerThread = max(4, Int(secondsPerRun / originalClip))
        print("  threads   original clips/s (per thread)   prepared clips/s (per thread)   prepared/original speed   clips a run (original, prepared) × rounds")
        for threads in 1...cores {
            let clips = clipsPerThread * threads
            let perClip = try interleaved([
                Side(name: "original") { try seconds(loader, original, threads: threads, clips: $0) },
                Side(name: "prepared") { try seconds(loader, prepared, threads: threads, clips: $0 * factor) / Double(factor) },
            ], rounds: rounds, count: clips)
            let (originalRate, preparedRate) = (1 / median(perClip[0]), 1 / median(perClip[1]))
            print(String(
                format: "  %7d   %14.1f (%6.1f)          %14.1f (%6.1f)          %@        %5d, %5d × %d", threads, originalRate,
                originalRate / Double(threads), preparedRate, preparedRate / Double(threads),
                RatioInterval(kinema: perClip[0], reference: perClip[1]).text, clips, clips * factor, rounds))
        }
    }

    /// Wall-clock seconds until `clips` clips have arrived from a prefetcher of `threads` workers.
    private func seconds(_ loader: VideoClipLoader, _ videos: [URL], threads: Int, clips: Int) throws -> Double {
        let start = now()
        let prefetcher = Prefetcher<Int>(workers: threads) { i in
            var generator = SeededGenerator(seed: 11, index: i)
            return try loader.trainingFrames(VideoItem(url: videos[i % videos.count], label: 0), using: &generator).count
        }
        defer { prefetcher.stop() }
        for _ in 0..<clips { _ = try prefetcher.next() }
        return now() - start
    }
}
