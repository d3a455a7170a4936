import ArgumentParser
import Foundation
import KinemaTrain
import KinemaVisualize

/// `kinema cgm pretrain`: CGM-Net's self-supervised training.
struct CGMPretrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Train CGM-Net without labels: per-pixel motion filters that make each frame, and the next one, from the frame before.",
        discussion: """
            A 3-D CNN (model.backbone, R3D-18 by default) encodes a clip of data.frames frames; a \
            decoder turns its features into low-resolution motion maps (a k×k filter per pixel and \
            frame) that the context-guided upsampling layer (CGMUL) lifts to full resolution with \
            each frame's ResNet-18 context. Map t applied to frame t synthesises frame t + 1 (Eq. 1); \
            the last map predicts the frame after the clip, which the network never sees. The loss \
            is the Charbonnier error of every synthesised frame at both resolutions (Eqs. 6–7).

            Defaults are the paper's (Tian et al., ECCV 2020, §4): 16 consecutive frames at short \
            side 128, random 112² crops and flips, images in [−1, 1], Adam at 0.001 with step decay; \
            configs/cgm/ has the paper's setting and a tiny CPU one. Held-out clips compare the \
            synthesised frames with copying the previous frame (ℓ1) and the predicted unseen frame \
            with copying the last one (PSNR); report.html shows the motion maps in the flow colour \
            wheel beside the frames. Resume, Ctrl-C and TensorBoard work as in every pretraining.

            Examples:
              kinema cgm pretrain --config configs/cgm/tiny_cpu.yaml --set data.source=videos/
              kinema cgm pretrain --config configs/cgm/r3d18_112.yaml --set data.source=/data/UCF101 --set data.format=ucf101 --set data.splits=/data/ucfTrainTestlist
              kinema cgm pretrain --output runs/cgm --resume           # continue after Ctrl-C
              kinema cgm evaluate videos/ --run runs/cgm               # Table 1 against optical flow

            The encoder fine-tunes like any backbone: `kinema finetune --pretrained runs/cgm …`.
            """)

    @OptionGroup var options: RunOptions

    func run() throws {
        try Self.train(try options.resolve(CGMPretrainConfig.self), resume: options.resume)
    }

    /// Trains with a progress bar, prints the outcome and writes the report (rank 0); returns the
    /// summary (also what `kinema demo` runs). Stopped by a signal, the process exits with 128 + the
    /// signal after the report.
    @discardableResult
    static func train(_ config: CGMPretrainConfig, resume: Bool) throws -> CGMSummary {
        var bar: ProgressBar?
        var validation = "–"
        let summary = try CGMPretraining.run(config, resume: resume) { event in
            switch event {
            case .skippedRows(let problems):
                print("skipped \(problems.count) unusable rows of the training list, e.g. \(problems[0])")
            case .skippedVideos(let errors):
                writeError("\nskipped undecodable training videos: \(errors.joined(separator: "; "))\n")
            case .started(let videos, let heldOut, let parameters, let steps, let resumedAt):
                print("\(videos) training videos, \(heldOut) held-out clips; CGM-Net (\(config.model.backbone) encoder, "
                    + "\(config.model.upsampling.rawValue) upsampling ×\(config.model.scale)): \(parameters) parameters; "
                    + "\(steps) steps of \(config.clipsPerStep) clips" + (resumedAt > 0 ? "; resuming at step \(resumedAt)" : ""))
                bar = ProgressBar(total: steps, label: "cgm")
            case .step(let step, _, let loss, let clipsPerSecond):
                bar?.update(step, ["loss": String(format: "%.4f", loss), "val ℓ1/copy": validation, "clips/s": String(format: "%.1f", clipsPerSecond)])
            case .validated(let step, let v):
                validation = String(format: "%.3f", v.seenL1 / v.copyL1)
                if step == 0 { print(String(format: "held-out before training: ℓ1 %.4f (copying the previous frame %.4f)", v.seenL1, v.copyL1)) }
            }
        }
        print(summary.outcome)
        if let v = summary.final {
            print(String(format: "held-out: synthesised frames ℓ1 %.4f (copying the previous frame %.4f); predicted next frame %.2f dB (copying the last %.2f dB)",
                v.seenL1, v.copyL1, v.nextPSNR, v.copyPSNR))
        }
        if DistributedEnvironment.isRankZero(ProcessInfo.processInfo.environment) {  // rank 0 writes the report
            let report = try Self.report(config, summary)
            print("wrote \(config.run.output)/ (report.html, metrics.jsonl, checkpoints/, tensorboard/, summary.json)\nreport: file://\(report.path)")
        }
        try exitIfStoppedBySignal()
        return summary
    }

    /// report.html: the curves, the measures and the motion-map GIFs.
    static func report(_ config: CGMPretrainConfig, _ summary: CGMSummary) throws -> URL {
        let folder = URL(fileURLWithPath: config.run.output)
        return try RunReport(
            title: "CGM-Net pretraining: \(config.model.backbone) encoder", summary: summaryRows(config, summary),
            pictures: pictures(config, summary)
        ).write(runFolder: folder)
    }

    /// The motion-map GIFs the run wrote, with their captions (also shown by `kinema demo`).
    static func pictures(_ config: CGMPretrainConfig, _ summary: CGMSummary) -> [RunReport.Picture] {
        RunReport.Picture.existing([
            (CGMPretraining.initialMotionMaps,
             "Held-out clips before training: frame t | frame t + 1 | t + 1 synthesised by motion map t (Eq. 1) | the map's "
                + "displacement per pixel in the flow colour wheel (hue: direction, saturation: length up to k̂/2 px); the last "
                + "frame is the unseen one and its prediction (Fig. 4, Fig. 5)"),
            (CGMPretraining.finalMotionMaps, "The same clips after \(summary.steps) steps"),
        ], in: URL(fileURLWithPath: config.run.output))
    }

    /// The report's summary rows: the held-out measures beside copying, the maps, the clips, the training.
    static func summaryRows(_ config: CGMPretrainConfig, _ summary: CGMSummary) -> [(key: String, value: String)] {
        func format(_ value: Double?, _ spec: String = "%.4f") -> String { value.map { String(format: spec, $0) } ?? "–" }
        return [
            ("held-out ℓ1 of the synthesised seen frames", format(summary.final?.seenL1)),
            ("… before training", format(summary.initial?.seenL1)),
            ("copying the previous frame", format(summary.final?.copyL1 ?? summary.initial?.copyL1)),
            ("predicted unseen frame, PSNR", format(summary.final?.nextPSNR, "%.2f dB")),
            ("copying the last frame, PSNR", format(summary.final?.copyPSNR ?? summary.initial?.copyPSNR, "%.2f dB")),
            ("motion maps", "k = \(config.model.kernel) at 1/\(config.model.scale) resolution, k̂ = \(config.model.hrKernel), "
                + "\(config.model.upsampling.rawValue) upsampling, \(config.model.filterNormalization.rawValue) filters"),
            ("encoder", config.model.backbone),
            ("clips", "\(config.data.frames) × \(config.data.cropSize)² at stride \(config.data.stride), and the frame after"),
        ] + RunReport.trainingRows(
            steps: summary.steps, clipsPerStep: config.clipsPerStep, dataWaitFraction: summary.dataWaitFraction,
            seconds: summary.seconds)
    }
}
