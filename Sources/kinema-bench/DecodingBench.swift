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
/// Clip i comes from video i mod V with the generator of index i, so every side decodes the same
/// clips. The threads are a ``Prefetcher``'s workers, one clip an item, taken in order as a
/// trainer takes its steps; OpenCV runs on one thread, so a decoding thread is one core. Sides
/// alternate over `rounds` rounds (the one that goes first rotates); a run's time ends when its
/// last clip arrives. Ratios are of speeds (clips a second) over the original videos': geometric
/// means of the per-round ratios with 95 % Student-t intervals (``RatioInterval``).
///
/// First, every codec `kinema prepare` offers is tried on this OpenCV/FFmpeg build (written,
/// read back whole, size on disk, one thread's speed): the evidence for its default, mp4v.
struct DecodingBench {
    let rounds: Int
    let videos: URL
    /// Seconds a run of the original videos on one thread should last.
    var secondsPerRun = 1.5

    static let (frames, stride, shortSide) = (16, 4, 128)

    /// The same videos in another form: the originals, or prepared with a codec.
    private struct Copy {
        let name: String
        let videos: [URL]
    }

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
        let loader = try VideoClipLoader(
            sampling: ClipSampling(frames: Self.frames, stride: Self.stride, targetFPS: nil), trainingSize: .shortSide(Self.shortSide),
            augmentation: ClipAugmentation(cropSize: Self.shortSide * 7 / 8),
            testViews: TestViews(clips: 1, crops: 1, shortSide: Self.shortSide, cropSize: Self.shortSide * 7 / 8))

        print("decoding \(Self.frames)x\(Self.stride) clips at short side \(Self.shortSide) (VideoClipLoader.trainingFrames, OpenCV on one "
            + "thread) from \(videos.path), clip i from video i mod V; copies made by kinema prepare --short-side \(Self.shortSide) on \(cores) threads:")
        let original = try VideoPreparation(shortSide: Self.shortSide).outputs(source: videos, output: scratch).map(\.video)
        var copies = [Copy(name: "original", videos: original)]
        for codec in VideoPreparation.Codec.allCases {
            if let copy = try prepared(codec, count: original.count, into: scratch.appendingPathComponent(codec.rawValue), threads: cores) {
                copies.append(copy)
            }
        }
        guard let chosen = copies.first(where: { $0.name == VideoPreparation.Codec.mp4v.rawValue }) else {
            throw BenchError("decoding: this FFmpeg cannot write every video as mp4v, kinema prepare's default")
        }

        // One clip of every video on each side warms the file cache; a second times the original.
        for copy in copies { _ = try seconds(loader, copy.videos, threads: 1, clips: copy.videos.count) }
        let originalClip = try seconds(loader, original, threads: 1, clips: original.count) / Double(original.count)
        let clipsPerThread = max(4, Int(secondsPerRun / originalClip))

        print("  one thread, \(clipsPerThread) clips a run × \(rounds) rounds:")
        print("    videos      clips/s   speed over the original's")
        let perCodec = try interleaved(copies.map { copy in Side(name: copy.name) { try seconds(loader, copy.videos, threads: 1, clips: $0) } },
            rounds: rounds, count: clipsPerThread)
        for (copy, perClip) in zip(copies, perCodec) {
            print("    " + copy.name.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: "%10.1f   ", 1 / median(perClip))
                + (copy.name == "original" ? "" : RatioInterval(kinema: perCodec[0], reference: perClip).text))
        }

        // The prepared side decodes `factor` times the original side's clips a run, so its runs
        // are as long, not too short to time.
        let factor = max(1, Int(median(perCodec[0]) / median(perCodec[copies.firstIndex { $0.name == chosen.name }!])))
        print("  original against \(chosen.name) (kinema prepare's default) on 1…\(cores) decoding threads, \(rounds) rounds:")
        print("    threads   original clips/s (per thread)   prepared clips/s (per thread)   prepared/original speed   clips a run (original, prepared)")
        for threads in 1...cores {
            let clips = clipsPerThread * threads
            let perClip = try interleaved([
                Side(name: "original") { try seconds(loader, original, threads: threads, clips: $0) },
                Side(name: "prepared") { try seconds(loader, chosen.videos, threads: threads, clips: $0 * factor) / Double(factor) },
            ], rounds: rounds, count: clips)
            let (originalRate, preparedRate) = (1 / median(perClip[0]), 1 / median(perClip[1]))
            print(String(
                format: "    %7d   %14.1f (%6.1f)          %14.1f (%6.1f)          %@        %6d, %6d", threads, originalRate,
                originalRate / Double(threads), preparedRate, preparedRate / Double(threads),
                RatioInterval(kinema: perClip[0], reference: perClip[1]).text, clips, clips * factor))
        }
    }

    /// The videos prepared with `codec`, or nil (said why) when this build cannot write one of them
    /// or a copy does not read back whole: every frame written, at the size written.
    private func prepared(_ codec: VideoPreparation.Codec, count: Int, into folder: URL, threads: Int) throws -> Copy? {
        let preparation = VideoPreparation(shortSide: Self.shortSide, codec: codec)
        let summary = try preparation.run(source: videos, output: folder, threads: threads)
        let line = "  " + codec.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
        if let failure = summary.failed.first {
            print(line + ": not written (\(summary.failed.count) of \(count) videos), e.g. \(failure)")
            return nil
        }
        let outputs = try preparation.outputs(source: videos, output: folder).map(\.output)
        let framesBack = try outputs.reduce(0) { $0 + (try VideoReader($1).countFrames()) }
        print(line + String(format: " (.%@): %d videos, %.1f MB → %.1f MB in %.1f s; %d of the %d frames written read back",
            codec.container, summary.prepared, Double(summary.inputBytes) / 1e6, Double(summary.outputBytes) / 1e6, summary.seconds,
            framesBack, summary.frames))
        return framesBack == summary.frames ? Copy(name: codec.rawValue, videos: outputs) : nil
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
