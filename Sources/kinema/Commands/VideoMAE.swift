import ArgumentParser
import Foundation
import KinemaTrain
import KinemaVisualize

/// `kinema videomae …`: VideoMAE (Tong et al., NeurIPS 2022) — masked video modelling of pixels.
struct VideoMAE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "videomae",
        abstract: "VideoMAE: learn video representations by reconstructing masked tubes of pixels.",
        subcommands: [VideoMAEPretrain.self])
}

/// `kinema videomae pretrain`: pretrain a ViT as VideoMAE's masked autoencoder.
struct VideoMAEPretrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain a ViT as VideoMAE's masked autoencoder on a folder of videos or a dataset's training list.",
        discussion: """
            Each clip is cut into 2×16×16 tubes; 90 % of them (tube masking: the same places in \
            every frame) are hidden, the encoder sees the rest, and a light decoder predicts the \
            hidden tubes' pixels, normalised per tube. Defaults are VideoMAE's Kinetics-400 ViT-B \
            recipe (16 frames at stride 4, multi-scale crop to 224², AdamW β (0.9, 0.95), weight \
            decay 0.05, lr 1.5e-4 per 256 clips, 40 warm-up epochs, per-step cosine); configs/videomae/ \
            has the paper's K400, SSv2 and UCF101 settings and a tiny CPU one.

            Held-out clips measure the reconstruction loss against predicting each masked tube by \
            its own mean colour (loss ratio below 1: the model predicts more than the patch average): \
            the last data.validationVideos videos, or with data.heldOut=end the last \
            data.heldOutFraction of every video (for a few long videos). report.html shows the curves \
            and, for held-out clips, original | masked input | reconstruction before training and at \
            the end.

            Examples:
              kinema videomae pretrain --config configs/videomae/tiny_cpu.yaml --set data.source=videos/ --output runs/videomae
              kinema videomae pretrain --config configs/videomae/k400_vit_b.yaml --set data.source=/data/k400 \\
                  --set data.train=/data/k400/train.csv      # batch 2048: 32 clips × 64 passes
              kinema videomae pretrain --output runs/videomae --resume      # continue after Ctrl-C

            Ctrl-C saves a checkpoint and stops; --resume continues exactly where it stopped. The \
            checkpoint holds VideoMAE's pretraining keys (encoder.*, decoder.*, mask_token, \
            encoder_to_decoder.weight): `kinema finetune --set model.pretrained=<run>` starts from its encoder.
            """)

    @OptionGroup var options: RunOptions

    func run() throws {
        let config = try options.resolve(VideoMAEPretrainConfig.self)
        var bar: ProgressBar?
        var validation = "–"
        let summary = try VideoMAEPretraining.run(config, resume: options.resume) { event in
            switch event {
            case .skippedRows(let problems):
                print("skipped \(problems.count) unusable rows of the training list, e.g. \(problems[0])")
            case .skippedVideos(let errors):
                writeError("\nskipped undecodable training videos: \(errors.joined(separator: "; "))\n")
            case .started(let videos, let heldOut, let parameters, let tokens, let visible, let steps, let resumedAt):
                print("\(videos) training videos, \(heldOut) held-out clips; \(config.model.name) masked autoencoder: "
                    + "\(parameters) parameters; \(visible) of \(tokens) tokens visible; \(steps) steps of \(config.clipsPerStep) clips"
                    + (resumedAt > 0 ? "; resuming at step \(resumedAt)" : ""))
                bar = ProgressBar(total: steps, label: "videomae")
            case .step(let step, _, let loss, let clipsPerSecond):
                bar?.update(step, ["loss": String(format: "%.3f", loss), "val": validation, "clips/s": String(format: "%.1f", clipsPerSecond)])
            case .validated(let step, let loss, let patchMean):
                validation = String(format: "%.3f", loss / patchMean)
                if step == 0 { print(String(format: "held-out loss before training %.3f (patch mean %.3f)", loss, patchMean)) }
            }
        }
        print(summary.outcome)
        if let loss = summary.validationLoss, let patchMean = summary.patchMeanLoss {
            print(String(format: "held-out reconstruction loss %.4f; predicting each tube's mean colour %.4f (ratio %.3f)",
                loss, patchMean, loss / patchMean))
        }
        let report = try Self.report(config, summary)
        print("wrote \(config.run.output)/ (report.html, metrics.jsonl, checkpoints/, tensorboard/, summary.json)\nreport: file://\(report.path)")
    }

    /// report.html: the curves and the reconstruction GIFs that exist.
    static func report(_ config: VideoMAEPretrainConfig, _ summary: VideoMAESummary) throws -> URL {
        let folder = URL(fileURLWithPath: config.run.output)
        var pictures: [RunReport.Picture] = []
        for (file, caption) in [
            (VideoMAEPretraining.initialReconstruction, "Held-out clips before training: original | masked input | reconstruction"),
            (VideoMAEPretraining.finalReconstruction, "The same clips and masks after \(summary.steps) steps"),
        ] where FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) {
            pictures.append(.init(path: file, caption: caption))
        }
        func format(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "–" }
        return try RunReport(
            title: "VideoMAE pretraining: \(config.model.name)",
            summary: [
                ("held-out reconstruction loss", format(summary.validationLoss)),
                ("… before training", format(summary.initialValidationLoss)),
                ("predicting each masked tube's mean colour", format(summary.patchMeanLoss)),
                ("mask", "\(config.model.masking), ratio \(config.model.maskRatio)"),
                ("clips", "\(config.data.frames) × \(config.data.cropSize)² at stride \(config.data.stride)"),
                ("steps", "\(summary.steps) of \(config.clipsPerStep) clips"),
                ("trainer waiting for data", String(format: "%.1f%%", summary.dataWaitFraction * 100)),
                ("time", String(format: "%.0f s", summary.seconds)),
            ],
            pictures: pictures
        ).write(runFolder: folder)
    }
}
