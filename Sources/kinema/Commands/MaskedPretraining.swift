import Foundation
import KinemaTrain
import KinemaVisualize

/// What `kinema videomae pretrain` and `kinema mme pretrain` share: one trainer (VideoMAE's masked
/// autoencoder) with a pixel or a motion target, its progress and its report.
enum MaskedPretraining {
    /// Trains with a progress bar, prints the outcome and writes the report (rank 0); returns the
    /// summary. Stopped by a signal, the process exits with 128 + the signal after the report.
    @discardableResult
    static func run(_ config: VideoMAEPretrainConfig, resume: Bool, method: String) throws -> VideoMAESummary {
        var bar: ProgressBar?
        var validation = "–"
        let summary = try VideoMAEPretraining.run(config, resume: resume) { event in
            switch event {
            case .skippedRows(let problems):
                print("skipped \(problems.count) unusable rows of the training list, e.g. \(problems[0])")
            case .skippedVideos(let errors):
                writeError("\nskipped undecodable training videos: \(errors.joined(separator: "; "))\n")
            case .started(let videos, let heldOut, let parameters, let tokens, let visible, let steps, let resumedAt):
                print("\(videos) training videos, \(heldOut) held-out clips; \(config.model.name) masked autoencoder "
                    + "(\(config.target.kind) target): \(parameters) parameters; \(visible) of \(tokens) tokens visible; "
                    + "\(steps) steps of \(config.clipsPerStep) clips" + (resumedAt > 0 ? "; resuming at step \(resumedAt)" : ""))
                bar = ProgressBar(total: steps, label: method.lowercased())
            case .step(let step, _, let loss, let clipsPerSecond):
                bar?.update(step, ["loss": String(format: "%.3f", loss), "val": validation, "clips/s": String(format: "%.1f", clipsPerSecond)])
            case .validated(let step, let loss, let patchMean):
                validation = String(format: "%.3f", loss / patchMean)
                if step == 0 { print(String(format: "held-out loss before training %.3f (patch mean %.3f)", loss, patchMean)) }
            }
        }
        print(summary.outcome)
        if let loss = summary.validationLoss, let patchMean = summary.patchMeanLoss {
            print(String(format: "held-out loss %.4f; predicting each masked token's mean target %.4f (ratio %.3f)",
                loss, patchMean, loss / patchMean))
        }
        if DistributedEnvironment.isRankZero(ProcessInfo.processInfo.environment) {  // rank 0 writes the report
            let report = try Self.report(config, summary, method: method)
            print("wrote \(config.run.output)/ (report.html, metrics.jsonl, checkpoints/, tensorboard/, summary.json)\nreport: file://\(report.path)")
        }
        try exitIfStoppedBySignal()
        return summary
    }

    /// report.html: the curves and the reconstruction GIFs that exist.
    static func report(_ config: VideoMAEPretrainConfig, _ summary: VideoMAESummary, method: String) throws -> URL {
        try RunReport(
            title: "\(method) pretraining: \(config.model.name)", summary: summaryRows(config, summary),
            pictures: pictures(config, summary)
        ).write(runFolder: URL(fileURLWithPath: config.run.output))
    }

    /// The reconstruction or trajectory GIFs the run wrote, with their captions (also shown by `kinema demo`).
    static func pictures(_ config: VideoMAEPretrainConfig, _ summary: VideoMAESummary) -> [RunReport.Picture] {
        RunReport.Picture.existing([
            (VideoMAEPretraining.initialReconstruction, "Held-out clips before training: original | masked input | reconstruction"),
            (VideoMAEPretraining.finalReconstruction, "The same clips and masks after \(summary.steps) steps"),
            (VideoMAEPretraining.initialTrajectories,
             "Held-out clips before training, one frame per tubelet, masked tubes greyed: target | predicted trajectories of "
                + "the masked patches (MME Fig. 4), coloured by direction and speed, grey where the target leaves the frame. "
                + "Predictions are the model's normalised position changes undone with each patch's own target statistics "
                + "(patch norm: its mean and spread; PatchStd: each step's mean motion too) and accumulated from the grid points"),
            (VideoMAEPretraining.finalTrajectories, "The same clips, masks and trajectories after \(summary.steps) steps"),
        ], in: URL(fileURLWithPath: config.run.output))
    }

    /// The report's summary rows: the held-out loss beside the per-token mean's, the mask, the clips, the training.
    static func summaryRows(_ config: VideoMAEPretrainConfig, _ summary: VideoMAESummary) -> [(key: String, value: String)] {
        func format(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "–" }
        return [
            ("held-out loss (\(config.target.kind) target)", format(summary.validationLoss)),
            ("… before training", format(summary.initialValidationLoss)),
            ("predicting each masked token's mean target", format(summary.patchMeanLoss)),
            ("mask", "\(config.model.masking), ratio \(config.model.maskRatio)"),
            ("clips", "\(config.data.frames) × \(config.data.cropSize)² at stride \(config.data.stride)"),
        ] + RunReport.trainingRows(
            steps: summary.steps, clipsPerStep: config.clipsPerStep, dataWaitFraction: summary.dataWaitFraction,
            seconds: summary.seconds)
    }
}
