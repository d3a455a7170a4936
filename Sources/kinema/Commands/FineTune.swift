import ArgumentParser
import Foundation
import KinemaTrain

/// `kinema finetune`: train a (pretrained) backbone to recognise actions in labelled videos.
struct FineTune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Fine-tune a pretrained (or fresh) backbone on an action-recognition dataset, then test it.",
        discussion: """
            The downstream protocols by which MoSI and VideoMAE measure a representation:
              full fine-tuning     from a pretrained run (--pretrained) or from scratch (without it)
              frozen stages        --freeze-stages N: the first N stages (stem first) stay fixed (MoSI Fig. 6)
              linear probing       --linear-probe: the backbone frozen, BatchNorm in eval mode, only the classifier trains
              few-shot             --few-shot K: K training videos per class, drawn with the seed (MoSI Table 3)
              layer-wise lr decay  --set optim.layerDecay=0.75 (BEiT/VideoMAE)
              frame-order control  --set data.frameOrder=reversed|shuffled: every clip's frames reordered
              appearance control   --set data.singleFrame=true: every clip is one of its frames repeated
            The pretrained run must hold the model the config names (model.name, model.width); every \
            tensor but its classifier is loaded strictly, and the classifier is replaced by one for the \
            dataset's classes. A ViT (vit_*) also starts from a transformers VideoMAE folder (config.json \
            + model.safetensors, e.g. from the Hub) or an official VideoMAE/MME checkpoint converted with \
            Tools/convert/pth_to_safetensors.py (fine-tuning or pretraining form: the encoder loads); \
            these were trained on ImageNet-normalised clips (--set data.normalization=imagenet).

            Datasets (data.format): ucf101 and hmdb51 from their official split files (data.videos, \
            data.splits, data.split 1-3), kinetics (CSV), ssv2 (JSON), list ("path label" lines) and \
            folders (a folder per class), with data.train/data.test naming the files or folders. Videos \
            or folders of frames; rows naming missing videos are reported and skipped.

            While training, the model is validated every validateEvery steps on one centre view per test \
            video; at the end it is tested on K clips × M crops per video (data.testClips, \
            data.testCrops) with the softmax averaged over the views: top-1, top-5, per-class accuracy \
            and the confusion matrix go to metrics.jsonl and evaluation.json.

            Configs: configs/finetune/mosi_ucf101.yaml (MoSI's UCF101 recipe: R(2+1)D-10, Adam, 300 \
            epochs, 10 × 1 views), configs/finetune/vit_b_{ucf101,hmdb51,k400,ssv2}.yaml (VideoMAE's \
            ViT-B recipe: layer decay, drop path, RandAugment, random erasing, mixup/CutMix, repeated \
            augmentation, 10 × 3 views), configs/finetune/tiny_cpu.yaml and vit_tiny_cpu.yaml (tiny \
            models on the motion benchmark of `kinema make-dataset`, minutes on a CPU).

            Examples:
              kinema finetune --config configs/finetune/mosi_ucf101.yaml --set data.videos=/data/UCF101 --set data.splits=/data/ucfTrainTestlist --set model.pretrained=runs/mosi --output runs/ucf101
              kinema finetune --config configs/finetune/tiny_cpu.yaml --pretrained runs/mosi-tiny --few-shot 5
              kinema finetune --config configs/finetune/tiny_cpu.yaml --pretrained runs/mosi-tiny --linear-probe
              kinema finetune --config configs/finetune/vit_b_ucf101.yaml --set data.videos=/data/UCF101 --set data.splits=/data/ucfTrainTestlist --pretrained videomae-base   # a Hub folder
              kinema finetune --config configs/finetune/vit_tiny_cpu.yaml --pretrained runs/videomae-tiny   # a VideoMAE run's encoder
              kinema finetune --output runs/ucf101 --resume      # continue after Ctrl-C

            Ctrl-C saves a checkpoint and stops (exit status 130); --resume continues exactly where it stopped.
            """)

    @OptionGroup var options: RunOptions

    @Option(help: ArgumentHelp(
        "A run folder or checkpoint to start from (model.pretrained); for a ViT also a transformers VideoMAE folder or a converted VideoMAE checkpoint.",
        valueName: "run"))
    var pretrained: String?

    @Option(help: "Freeze the first N stages, stem first (model.freezeStages).")
    var freezeStages: Int?

    @Flag(help: "Train only the classifier on the frozen backbone (model.linearProbe).")
    var linearProbe = false

    @Option(help: ArgumentHelp("Train on K videos per class (data.fewShot).", valueName: "K"))
    var fewShot: Int?

    func run() throws {
        var options = options
        var flags: [String] = []
        if let pretrained { flags.append("model.pretrained=\(pretrained)") }
        if let freezeStages { flags.append("model.freezeStages=\(freezeStages)") }
        if linearProbe { flags.append("model.linearProbe=true") }
        if let fewShot { flags.append("data.fewShot=\(fewShot)") }
        options.configFile.overrides = flags + options.configFile.overrides
        let config = try options.resolve(FineTuneConfig.self)
        let summary = try fineTuneWithProgress(config, resume: options.resume)
        print(summary.outcome)
        print("wrote \(config.run.output)/ (metrics.jsonl, checkpoints/, summary.json"
            + (summary.testTop1 != nil ? ", evaluation.json)" : ")"))
        try exitIfStoppedBySignal()
    }
}

/// Runs fine-tuning with a progress bar and prints what happens.
private func fineTuneWithProgress(_ config: FineTuneConfig, resume: Bool) throws -> FineTuneSummary {
    var bar: ProgressBar?
    var evaluationBar: ProgressBar?
    var validation = "–"
    return try FineTuning.run(config, resume: resume) { event in
        switch event {
        case .datasets(let train, let test, let problems):
            print("\(train.count) training and \(test.count) test videos, \(train.classNames.count) classes")
            if !problems.isEmpty {
                print("skipped \(problems.count) annotation rows, e.g.:")
                for problem in problems.prefix(5) { print("  \(problem)") }
            }
        case .started(let videos, let classes, let parameters, let trainable, let steps, let pretrained, let resumedAt):
            let source = pretrained.map { "from \($0.checkpoint.path) (\($0.format))" } ?? (resumedAt > 0 ? "" : "from scratch")
            print("\(config.model.name): \(parameters) parameters, \(trainable) trained; \(videos) videos of \(classes) "
                + "classes; \(steps) steps \(source)" + (resumedAt > 0 ? "; resuming at step \(resumedAt)" : ""))
            for note in pretrained?.notes ?? [] { print("note: \(note)") }
            bar = ProgressBar(total: steps, label: "finetune")
        case .step(let step, _, let loss, let accuracy, let clipsPerSecond):
            bar?.update(step, [
                "loss": String(format: "%.3f", loss), "acc": String(format: "%.2f", accuracy), "val": validation,
                "clips/s": String(format: "%.1f", clipsPerSecond),
            ])
        case .skippedTrainingVideos(let errors):
            for error in errors { writeError("\nskipped a training video: \(error)\n") }
        case .validated(_, let result):
            validation = String(format: "%.2f", result.top1)
        case .evaluating(let done, let total):
            if evaluationBar == nil { evaluationBar = ProgressBar(total: total, label: "test") }
            evaluationBar?.update(done)
        case .evaluated(let result):
            printEvaluation(result)
        }
    }
}

/// The headline numbers of a multi-view test.
func printEvaluation(_ result: EvaluationResult) {
    print(String(
        format: "test: top-1 %.2f%%, top-%d %.2f%%, mean class accuracy %.2f%% (chance %.2f%%) on %d videos × %d views",
        result.top1 * 100, result.k, result.topK * 100, result.meanClassAccuracy * 100, result.chance * 100,
        result.videos, result.views.count))
    if !result.skipped.isEmpty {
        print("skipped \(result.skipped.count) test videos that did not decode, e.g. \(result.skipped[0].path): \(result.skipped[0].error)")
    }
}
