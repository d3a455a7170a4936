import ArgumentParser
import Foundation
import KinemaTrain

/// `kinema mosi …`: MoSI (Huang et al., CVPR 2021) — motion learned from still images.
struct MoSI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mosi",
        abstract: "MoSI: learn motion from still images by classifying pseudo motions.",
        subcommands: [MoSIPretrain.self])
}

/// `kinema mosi pretrain`: pretrain a backbone on pseudo motions rendered from images.
struct MoSIPretrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain a backbone on MoSI pseudo motions rendered from a folder of images or videos.",
        discussion: """
            Every source image gives 4K + 1 clips (K speeds per direction on x or y, and static); the \
            backbone classifies them. Defaults are the paper's recipe (Adam, lr 1e-3, warm-up then \
            half-cosine, weight decay 1e-4, dropout 0.5); configs/mosi/ has the paper's settings \
            (r2plus1d_10.yaml, r2d3d_18.yaml) and a tiny CPU one (tiny_cpu.yaml).

            Examples:
              kinema mosi pretrain --config configs/mosi/tiny_cpu.yaml --set data.source=photos/ --output runs/mosi
              kinema mosi pretrain --output runs/mosi --resume      # continue after Ctrl-C

            Ctrl-C saves a checkpoint and stops; --resume continues exactly where it stopped.
            """)

    @OptionGroup var options: RunOptions

    func run() throws {
        let config = try options.resolve(MoSIPretrainConfig.self)
        let bar = ProgressBar(total: config.steps, label: "mosi")
        var validation = "–"
        let summary = try MoSIPretraining.run(config, resume: options.resume) { event in
            switch event {
            case .started(let images, let held, let classes, let parameters, let resumedAt):
                print("\(images) training images, \(held) for validation; \(classes) classes; "
                    + "\(config.model.name): \(parameters) parameters" + (resumedAt > 0 ? "; resuming at step \(resumedAt)" : ""))
            case .step(let step, _, let loss, let accuracy, let clipsPerSecond):
                bar.update(step, [
                    "loss": String(format: "%.3f", loss), "acc": String(format: "%.2f", accuracy),
                    "val": validation, "clips/s": String(format: "%.1f", clipsPerSecond),
                ])
            case .validated(_, let accuracy, _):
                validation = String(format: "%.2f", accuracy)
            }
        }
        print(summary.outcome)
        print(String(format: "validation accuracy %.1f%% (chance %.1f%%); trainer waited for data %.1f%% of the time",
            summary.validationAccuracy * 100, summary.chance * 100, summary.dataWaitFraction * 100))
        print("wrote \(config.run.output)/ (metrics.jsonl, checkpoints/, tensorboard/, summary.json)")
    }
}
