import ArgumentParser
import Foundation
import KinemaTrain

/// `kinema mme …`: MME (Sun et al., CVPR 2023) — masked video modelling of motion.
struct MME: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mme",
        abstract: "MME: learn video representations by predicting the motion trajectories of masked tubes.",
        subcommands: [MMEPretrain.self, MMEExtract.self, MMETargetsCommand.self])
}

/// `kinema mme pretrain`: VideoMAE's masked autoencoder with MME's motion targets.
struct MMEPretrain: ParsableCommand {
    /// MME's defaults over VideoMAE's (the K400 recipe of Sun et al. 2023 §4.1): the motion target,
    /// a 70 % tube mask; the decoder is MME's (1 block of width 192, 6 heads, a head per target).
    static let presets = [(
        text: """
            run:
              output: runs/mme
            target:
              kind: mme
            model:
              maskRatio: 0.7
            """,
        source: "kinema mme pretrain's defaults")]

    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain a ViT as MME's masked autoencoder: predict the trajectories and shapes of masked tubes.",
        discussion: """
            Each clip is cut into 2×16×16 tubes; 70 % of them (tube masking) are hidden, the encoder \
            sees the rest, and a one-block decoder predicts, for every hidden tube, the motion of \
            its content at the video's full frame rate: K = 4 points per patch tracked through L \
            optical-flow fields from the tube's first frame (their position changes, normalised per \
            patch) and the HOG of the points' neighbourhoods along the tracks. The targets are \
            computed on the fly, on the loader threads, from the decoded frames between the sampled \
            ones, and follow the clip's crop exactly.

            Defaults are the paper's (target.motion: L = 6, camera-motion removal, median-filtered \
            flow read at sub-pixel positions, patch-normalised positions, trajectory-aligned HOG); \
            configs/mme/ has the K400 recipe, the released code's variants and a tiny CPU config. \
            target.kind selects the ablations' targets on the same model (trajectory, hog; flow, \
            hof, mbh: HOG plus a short-term motion target, the paper's Table 5 baselines); \
            everything else is `kinema videomae pretrain`'s (resume, Ctrl-C, report.html).

            Held-out clips measure the target loss against predicting each masked token's mean \
            target (loss ratio below 1: the model predicts more than that).

            Examples:
              kinema mme pretrain --config configs/mme/tiny_cpu.yaml --set data.source=videos/
              kinema mme pretrain --config configs/mme/k400_vit_b.yaml --set data.source=/data/k400 --set data.train=/data/k400/train.csv
              kinema mme pretrain --output runs/mme --resume      # continue after Ctrl-C

            The checkpoint holds MME's pretraining keys (encoder.*, decoder.0.*, encoder_to_decoder.0.weight, \
            mask_token): `kinema finetune --set model.pretrained=<run>` starts from its encoder.
            """)

    @OptionGroup var options: RunOptions

    func run() throws {
        try MaskedPretraining.run(
            try options.resolve(VideoMAEPretrainConfig.self, presets: Self.presets), resume: options.resume, method: "MME")
    }
}

/// `kinema mme extract`: precompute the flow MME's targets are tracked through, for training to read.
struct MMEExtract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Precompute the optical flow of MME's targets into a cache folder (target.cache) that pretraining reads.",
        discussion: """
            Takes the pretraining config (the same --config and --set as `kinema mme pretrain`) and \
            writes, for every training and held-out video, the flow of each pair of consecutive frames \
            at the decode size (data.decodeShortSide), the camera's motion removed when \
            target.motion.removeCameraMotion is set, as float16 safetensors with a checksum per \
            field. Pretraining with the same target.cache cuts each clip's crop out of it and tracks \
            the points and computes the HOG on the loader threads, as on the fly.

            Resumable: complete, intact entries are skipped; missing, stale (other flow settings, \
            frame size or source file) or corrupt ones are recomputed. Entries appear atomically.

            Example:
              kinema mme extract --config configs/mme/tiny_cpu.yaml --set data.source=.deps/data/videos --set target.cache=cache/mme-flow --threads 4
            """)

    @OptionGroup var configFile: ConfigFileOptions

    @Option(help: "Videos extracted at once (each on its own thread).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be ≥ 1") }
    }

    func run() throws {
        let config: VideoMAEPretrainConfig
        do {
            config = try VideoMAEPretrainConfig.resolve(
                ConfigSources(file: configFile.file, overrides: configFile.overrides, resume: false, presets: MMEPretrain.presets))
        } catch { throw ValidationError(error.description) }
        guard !config.target.cache.isEmpty else { throw ValidationError("set target.cache to the folder to extract into (--set target.cache=DIR)") }
        let bar = ProgressBarBox(ProgressBar(total: 1, label: "extract"))
        let summary = try MMEFlowExtraction.run(config, threads: threads) { done, total, summary in
            bar.update(done, total, summary)
        }
        let perVideo = summary.extracted > 0 ? Double(summary.bytes) / Double(summary.extracted) / 1e6 : 0
        print(String(format: "%d videos: %d extracted (%d frame pairs, %.1f MB, %.2f MB a video), %d already complete, %d failed; %.1f s",
            summary.videos, summary.extracted, summary.pairs, Double(summary.bytes) / 1e6, perVideo, summary.alreadyComplete,
            summary.failed.count, summary.seconds))
        print("cache: \(config.target.cache)")
        guard summary.failed.isEmpty else {
            throw ValidationError("these videos have no cache entry (training computes them on the fly):\n  " + summary.failed.joined(separator: "\n  "))
        }
    }
}

/// The progress bar, redrawn from the extraction's worker threads (which call it under a lock).
private final class ProgressBarBox: @unchecked Sendable {
    private var bar: ProgressBar
    private var total = 1

    init(_ bar: ProgressBar) { self.bar = bar }

    func update(_ done: Int, _ total: Int, _ summary: MMEFlowExtraction.Summary) {
        if total != self.total { (self.total, bar) = (total, ProgressBar(total: total, label: "extract")) }
        bar.update(done, ["pairs/s": String(format: "%.1f", Double(summary.pairs) / max(summary.seconds, 1e-9))])
    }
}
