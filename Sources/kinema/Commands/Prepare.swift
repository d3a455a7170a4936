import ArgumentParser
import Foundation
import KinemaData
import KinemaTrain

extension VideoPreparation.Codec: ExpressibleByArgument {
    public init?(argument: String) {
        guard let codec = Self.allCases.first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else { return nil }
        self = codec
    }
}

/// `kinema prepare`: re-encode a video dataset once at the short side training decodes it at.
struct Prepare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-encode every video of a dataset once at a short side of 128 or 256 pixels, so training decodes fewer pixels.",
        discussion: """
            Decoding costs about in proportion to the pixels, and a GPU consumes clips faster than \
            a CPU decodes full-size video: a 112² training decodes at short side 128, a 224² one at \
            256, so decoding the dataset's 720p or 1080p files again for every clip of every epoch \
            wastes most of the loader threads' time. This command does once what VideoMAE's users \
            do by hand with ffmpeg. `kinema-bench --only decoding --videos DIR` measures the gain \
            on your videos (on this project's test videos prepared at 128, one decoding thread makes \
            7–8× the clips a second; docs/benchmarks.md).

            Every video under SOURCE (sub-folders included; mp4, avi, webm, mkv, mov, m4v, mpg, \
            mpeg, ogv) is written to the same relative path under OUTPUT, with the codec's \
            container as extension (vtest.avi becomes vtest.mp4: Kinema's dataset readers find a \
            video listed as .avi under .mp4, so annotation files need no change). Frame rate, \
            frames and aspect ratio are kept; frames are area-averaged down to the short side, both \
            sides even. A video already at or below the short side is re-encoded at its own size, \
            never enlarged, so OUTPUT holds the whole dataset in one codec.

            Each output is written to a hidden temporary file beside it and renamed when complete: \
            a file under its final name is always whole. Rerun the same command after a failure or \
            Ctrl-C and it skips the complete outputs (an output of another size is redone). A video \
            that cannot be decoded is named with the reason and the others go on; the command then \
            exits non-zero. A video whose stream ends before the frames its container declares is \
            prepared with the frames that decode, and a warning says how many.

            Codecs (measured by `kinema-bench --only decoding`): mp4v (MPEG-4 part 2, FFmpeg's own \
            encoder, the default: as fast to decode as mjpg at a quarter of its size), avc1 (H.264 \
            where FFmpeg has libx264: 3.5× smaller than mp4v, half its decode speed), mjpg (.avi), \
            ffv1 (lossless, .mkv: 20× mp4v's size, slower to decode than the originals).

            Examples:
              kinema prepare /data/k400 /data/k400-128 --short-side 128      # for 112² clips
              kinema prepare /data/ssv2 /data/ssv2-256 --short-side 256 --threads 16
              kinema prepare .deps/data/videos /tmp/videos-128 --short-side 128 --codec avc1
              kinema videomae pretrain --config configs/videomae/tiny_cpu.yaml --set data.source=/tmp/videos-128 …
            """)

    @Argument(help: ArgumentHelp("The folder of videos to prepare (searched recursively).", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("The folder to write the prepared videos to (outside SOURCE).", valueName: "output"))
    var output: String

    @Option(help: ArgumentHelp("The short side to write, in pixels (even): 128 for 112² clips, 256 for 224².", valueName: "pixels"))
    var shortSide: Int

    @Option(help: "Videos prepared at once, each on its own thread.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("mp4v, avc1, mjpg or ffv1.", valueName: "codec"))
    var codec = VideoPreparation.Codec.mp4v

    func validate() throws {
        guard shortSide >= 2, shortSide % 2 == 0 else { throw ValidationError("--short-side must be an even number of pixels, got \(shortSide)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        let (from, to) = (URL(fileURLWithPath: source).standardizedFileURL.path, URL(fileURLWithPath: output).standardizedFileURL.path)
        guard to != from, !to.hasPrefix(from + "/") else {
            throw ValidationError("OUTPUT (\(output)) must lie outside SOURCE (\(source)): a rerun would take the prepared videos for sources")
        }
    }

    func run() throws {
        TrainingInterrupt.installSignalHandlers(
            announcing: "\nkinema: stopping, removing unfinished files (interrupt again to quit at once)\n")
        defer { TrainingInterrupt.uninstallSignalHandlers() }
        let bar = PrepareProgress()
        let summary = try VideoPreparation(shortSide: shortSide, codec: codec).run(
            source: URL(fileURLWithPath: source), output: URL(fileURLWithPath: output), threads: threads,
            stop: { TrainingInterrupt.signals.isRequested }, progress: bar.update)
        print(String(
            format: "%d videos: %d prepared, %d already complete (skipped), %d failed; %d frames, %.1f MB read, %.1f MB written; %.1f s",
            summary.videos, summary.prepared, summary.skipped, summary.failed.count, summary.frames,
            Double(summary.inputBytes) / 1e6, Double(summary.outputBytes) / 1e6, summary.seconds))
        fflush(nil)  // standard output before the warnings and errors on standard error, also when both go to one pipe
        for warning in summary.warnings { writeError("warning: \(warning)\n") }
        if !summary.failed.isEmpty {
            writeError("error: \(summary.failed.count) of \(summary.videos) videos could not be prepared (no output written):\n  "
                + summary.failed.joined(separator: "\n  ") + "\n")
        }
        if summary.interrupted {
            writeError("interrupted: unfinished outputs were removed; run the same command again to continue\n")
            throw ExitCode(130)
        }
        if !summary.failed.isEmpty { throw ExitCode.failure }
    }
}

/// The progress bar, redrawn from the preparation's threads (which call it under a lock).
private final class PrepareProgress: @unchecked Sendable {
    private var bar: ProgressBar?

    func update(_ done: Int, _ total: Int, _ summary: VideoPreparation.Summary) {
        if bar == nil { bar = ProgressBar(total: total, label: "prepare") }
        bar?.update(done, ["frames/s": String(format: "%.0f", Double(summary.frames) / max(summary.seconds, 1e-9))])
    }
}
