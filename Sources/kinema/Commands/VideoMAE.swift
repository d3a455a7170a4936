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

            Ctrl-C saves a checkpoint and stops (exit status 130); --resume continues exactly where it stopped. The \
            checkpoint holds VideoMAE's pretraining keys (encoder.*, decoder.*, mask_token, \
            encoder_to_decoder.weight): `kinema finetune --set model.pretrained=<run>` starts from its encoder.
            """)

    @OptionGroup var options: RunOptions

    func run() throws {
        try MaskedPretraining.run(try options.resolve(VideoMAEPretrainConfig.self), resume: options.resume, method: "VideoMAE")
    }
}
