import ArgumentParser
import Foundation
import KinemaTrain

/// `kinema mme …`: MME (Sun et al., CVPR 2023) — masked video modelling of motion.
struct MME: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mme",
        abstract: "MME: learn video representations by predicting the motion trajectories of masked tubes.",
        subcommands: [MMEPretrain.self, MMETargetsCommand.self])
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
            target.kind selects the ablations' targets (trajectory, hog) on the same model; \
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
