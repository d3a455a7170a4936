import Foundation
import KinemaTrain

/// Runs MoSI pretraining with a progress bar (loss, pretext accuracy, latest validation accuracy,
/// throughput) and prints the outcome: what `kinema mosi pretrain` and `kinema demo` show.
func pretrainWithProgress(_ config: MoSIPretrainConfig, resume: Bool) throws -> MoSISummary {
    var bar: ProgressBar?
    var validation = "–"
    let summary = try MoSIPretraining.run(config, resume: resume) { event in
        switch event {
        case .skippedRows(let problems):
            print("skipped \(problems.count) unusable rows of the training list, e.g. \(problems[0])")
        case .started(let images, let held, let classes, let parameters, let steps, let resumedAt):
            print("\(images) training images, \(held) for validation; \(classes) classes; "
                + "\(config.model.name): \(parameters) parameters; \(steps) steps"
                + (config.epochs > 0 ? " (\(config.epochs) epochs)" : "") + (resumedAt > 0 ? "; resuming at step \(resumedAt)" : ""))
            bar = ProgressBar(total: steps, label: "mosi")
        case .step(let step, _, let loss, let accuracy, let clipsPerSecond):
            bar?.update(step, [
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
    return summary
}
