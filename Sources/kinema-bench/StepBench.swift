import Foundation
import KinemaModels

/// `--only step`: a training step (forward, backward, AdamW; fp32) in Kinema against two PyTorch
/// references in long-lived processes, all three in interleaved rounds (see ``interleaved``):
///   - PyTorch as users run it by default: glibc's malloc, contiguous NCDHW layout;
///   - PyTorch at its best on this machine: tcmalloc preloaded, and per case the faster of the
///     contiguous and channels_last_3d layouts (one timed step each after a warm-up).
/// Every side makes a warm-up step and a timed step before the rounds; a round's run is a block of
/// steps lasting at least ``minimumBlockSeconds`` on the faster side (one step at the MoSI size).
/// The ViT cases (`videomae-*`, `finetune-*`) run contiguous on every side: layouts do not apply to
/// token matrices. The CGM-Net cases (`cgm-*`, Adam) try both layouts on Kinema's side too (its
/// trainer runs contiguous; the row says which was faster) and print the peak resident memory of
/// each side's step, measured in fresh processes (``StepMemory``).
struct StepBench {
    let cases: [StepCase]
    let rounds: Int
    let references: References
    static let minimumBlockSeconds = 1.0
    static let labelWidth = 34

    /// The ViTs' default rows (`--models` not given): the issue's VideoMAE pretraining steps of
    /// ViT-S/16 and ViT-B/16 and the fine-tuning step of ViT-S/16.
    static let defaultPretrainingViTs: [ModelName] = [.vitS16, .vitB16]
    static let defaultFineTuningViTs: [ModelName] = [.vitS16]
    /// VideoMAE's mask ratio and the fine-tuning rows' classes (Kinetics-400's, the registry's head).
    static let maskRatio = 0.9
    static let fineTuningClasses = 400
    static let viTBatch = 2

    /// The MoSI pretext's step at the paper's size (one source image = 9 clips of 16 × 112²) and
    /// at the demo's (8 × 64²) for the CNNs among `models`; the demo's own model (r3d_18_tiny, as
    /// configs/mosi/tiny_cpu.yaml) runs at the demo size only, also with the 2 images × 9 clips
    /// that `make demo` trains on. For the ViTs among `models`, at their registered clip size
    /// (16 × 224² at full size) with 2 clips: VideoMAE's masked-autoencoder step (`videomae`) and
    /// the classifier's fine-tuning step (`finetune`). `models` nil: the defaults above.
    static func cases(models: [ModelName]?, sizes: Set<String>) -> [StepCase] {
        func isViT(_ model: ModelName) -> Bool { model.vitConfiguration() != nil }
        let cnns = models?.filter { !isViT($0) } ?? Bench.defaultModels
        var cases: [StepCase] = []
        if sizes.contains("mosi") {
            for model in cnns where !model.rawValue.hasSuffix("_tiny") {
                cases.append(StepCase(model: model, batch: 9, frames: 16, size: 112, sizeName: "mosi"))
            }
        }
        if sizes.contains("demo") {
            for model in cnns {
                cases.append(StepCase(model: model, batch: 9, frames: 8, size: 64, sizeName: "demo"))
                if model == .r3d18Tiny {
                    cases.append(StepCase(model: model, batch: 18, frames: 8, size: 64, sizeName: "demo", note: "make demo's step"))
                }
            }
        }
        func viTCase(_ model: ModelName, _ sizeName: String, _ kind: StepCase.Kind) -> StepCase {
            let clip = model.spec.clip
            precondition(clip.height == clip.width, "the step bench's clips are square")
            return StepCase(model: model, batch: viTBatch, frames: clip.frames, size: clip.height, sizeName: sizeName, kind: kind)
        }
        if sizes.contains("videomae") {
            for model in models?.filter(isViT) ?? defaultPretrainingViTs {
                cases.append(viTCase(model, "videomae", .maskedAutoencoder(ratio: maskRatio)))
            }
        }
        if sizes.contains("finetune") {
            for model in models?.filter(isViT) ?? defaultFineTuningViTs {
                cases.append(viTCase(model, "finetune", .fineTuning(classes: fineTuningClasses)))
            }
        }
        if sizes.contains("cgm") { cases.append(cgmCase("cgm")) }
        if sizes.contains("cgm-small") { cases.append(cgmCase("cgm-small")) }
        return cases
    }

    /// CGM-Net's step (the issue's row: r3d_18 encoder, batch 4, 16 frames + the next one at 112²);
    /// `cgm-small`, batch 1 of 8 + 1 frames at 64², checks the code path quickly.
    static func cgmCase(_ sizeName: String) -> StepCase {
        sizeName == "cgm"
            ? StepCase(model: .r3d18, batch: 4, frames: 16, size: 112, sizeName: sizeName, kind: .cgm)
            : StepCase(model: .r3d18, batch: 1, frames: 8, size: 64, sizeName: sizeName, kind: .cgm)
    }

    /// Prints the table; returns the cases whose Kinema/PyTorch-best interval reaches above 1.03.
    func run() throws -> [String] {
        print("\nTraining step (forward + backward + AdamW, fp32, batch of random clips), \(rounds) interleaved rounds per case")
        print("  CNNs: cross-entropy over 9 classes (MoSI's); videomae-*: VideoMAE's masked autoencoder, tube mask \(Self.maskRatio),")
        print("  pixel target normalised per patch; finetune-*: the ViT classifier, \(Self.fineTuningClasses) classes;")
        print("  cgm-*: CGM-Net (default configuration) on the clip, L_HR + L_LR against the next frames, Adam (not AdamW)")
        print("  sides: Kinema = \(references.kinemaDescription)")
        print("         PyTorch default = \(references.defaultDescription)")
        print("         PyTorch best = \(references.bestDescription)")
        print("  s/step = median over rounds; ratio = Kinema time / PyTorch time (below 1: Kinema faster), the geometric mean of")
        print("  the per-round ratios with a 95 % t interval on their logs; best layout: cl = channels_last_3d, nchw = contiguous,")
        print("  - = not applicable (ViTs: contiguous everywhere); cgm-*: Kinema's faster layout on the line below the row")
        let header = "case".padding(toLength: Self.labelWidth, withPad: " ", startingAt: 0)
            + "  kinema  pt-def  pt-best      K/PyTorch-default    K/PyTorch-best   steps×rounds  kinema GFLOP/s"
        print(header)
        var missed: [String] = []
        for c in cases {
            let row = try measure(c)
            print(row.line)
            if row.best.high > 1.03 { missed.append(c.label) }
        }
        return missed
    }

    private struct Row {
        let line: String
        let best: RatioInterval
    }

    private func measure(_ c: StepCase) throws -> Row {
        let pytorchDefault = try references.setUp(c, on: references.pytorchDefault)
        let pytorchBest = try references.setUp(c, on: references.pytorchBest)
        var kinema = try c.makeStep()
        kinema.step()
        var trial = kinema.seconds(1)
        // CGM-Net: Kinema tries channels-last too (a warm-up and a timed step) and keeps the faster.
        var kinemaChannelsLast = false
        if case .cgm = c.kind {
            let other = try CGMTrainingStep(c, channelsLast: true)
            other.step()
            let otherTrial = other.seconds(1)
            print(String(format: "  %@: Kinema's trial step %.3f s contiguous, %.3f s channels-last", c.label, trial, otherTrial))
            if otherTrial < trial { (kinema, trial, kinemaChannelsLast) = (other, otherTrial, true) }
        }
        let bestTrial = ((pytorchBest["tried"] as? [String: Any]) ?? [:]).values.compactMap { ($0 as? NSNumber)?.doubleValue }.min()
            ?? trial
        // Steps per run: enough for the faster side's run to last the minimum block.
        let steps = max(1, Int((Self.minimumBlockSeconds / min(trial, bestTrial)).rounded(.up)))
        let seconds = try interleaved([
            Side(name: "kinema") { kinema.seconds($0) },
            Side(name: "pytorch-default") { try references.pytorchDefault.seconds("steps \($0)") },
            Side(name: "pytorch-best") { try references.pytorchBest.seconds("steps \($0)") },
        ], rounds: rounds, count: steps)
        let versusDefault = RatioInterval(kinema: seconds[0], reference: seconds[1])
        let versusBest = RatioInterval(kinema: seconds[0], reference: seconds[2])
        let layout: String
        switch c.kind {
        case .classification, .cgm: layout = (pytorchBest["layout"] as? String) == "channels_last" ? "cl" : "nchw"
        case .maskedAutoencoder, .fineTuning: layout = "-"
        }
        let flops = (pytorchDefault["flops"] as? NSNumber)?.doubleValue ?? .nan
        let label = (c.label + (c.note.isEmpty ? "" : " (\(c.note))")).padding(toLength: Self.labelWidth, withPad: " ", startingAt: 0)
        let line = label + String(format: " %7.3f %7.3f %7.3f %@  %@  %@  %5d×%-6d  %6.0f",
            median(seconds[0]), median(seconds[1]), median(seconds[2]), layout.padding(toLength: 4, withPad: " ", startingAt: 0),
            versusDefault.text.padding(toLength: 17, withPad: " ", startingAt: 0), versusBest.text.padding(toLength: 17, withPad: " ", startingAt: 0),
            steps, rounds, flops / median(seconds[0]) / 1e9)
        guard case .cgm = c.kind else { return Row(line: line, best: versusBest) }
        // Peak resident memory, each side in a fresh process at the layout it was timed in.
        let memory = [
            try StepMemory.kinema(c, channelsLast: kinemaChannelsLast, threads: references.threads),
            try StepMemory.pytorch(c, references: references, best: false, layout: "contiguous"),
            try StepMemory.pytorch(c, references: references, best: true, layout: (pytorchBest["layout"] as? String) ?? "contiguous"),
        ]
        let tried = ((pytorchBest["tried"] as? [String: Any]) ?? [:]).sorted { $0.key < $1.key }
            .map { String(format: "%@ %.3f s", $0.key, ($0.value as? NSNumber)?.doubleValue ?? .nan) }.joined(separator: ", ")
        return Row(
            line: line + "\n    kinema layout \(kinemaChannelsLast ? "cl" : "nchw") (CGMPretraining runs nchw); PyTorch best's trial steps: \(tried)"
                + "\n    peak RSS of the step (fresh process per side: build + 2 steps; VmHWM, + its rise over the process before the case):"
                + "\n    kinema \(memory[0].text)   pytorch-default \(memory[1].text)   pytorch-best \(memory[2].text)",
            best: versusBest)
    }
}
