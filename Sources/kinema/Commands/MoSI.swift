import ArgumentParser
import Foundation
import KinemaTrain

/// `kinema mosi …`: MoSI (Huang et al., CVPR 2021) — motion learned from still images.
struct MoSI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mosi",
        abstract: "MoSI: learn motion from still images by classifying pseudo motions.",
        subcommands: [MoSIPretrain.self, MoSISamples.self])
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

            Ctrl-C saves a checkpoint and stops (exit status 130); --resume continues exactly where it stopped.
            """)

    @OptionGroup var options: RunOptions

    func run() throws {
        let config = try options.resolve(MoSIPretrainConfig.self)
        let summary = try pretrainWithProgress(config, resume: options.resume)
        print("wrote \(config.run.output)/ (metrics.jsonl, checkpoints/, tensorboard/, summary.json)")
        try exitIfStoppedBySignal()
    }
}
