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
/// token matrices.
struct StepBench {
    let cases: [StepCase]
    let rounds: Int
    let references: References
    static let minimumBlockSeconds = 1.0
    static let labelWidth = 34

    /// The ViTs' default rows (`--models` not given): the VideoMAE pretraining steps of
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
        return cases
    }

    /// Prints the table; returns the cases whose Kinema/PyTorch-best interval reaches above 1.03.
    func run() throws -> [String] {
        print("\nTraining step (forward + backward + AdamW, fp32, batch of random clips), \(rounds) interleaved rounds per case")
        print("  CNNs: cross-entropy over 9 classes (MoSI's); videomae-*: VideoMAE's masked autoencoder, tube mask \(Self.maskRatio),")
        print("  pixel target normalised per patch; finetune-*: the ViT classifier, \(Self.fineTuningClasses) classes")
        print("  sides: Kinema = \(references.kinemaDescription)")
        print("         PyTorch default = \(references.defaultDescription)")
        print("         PyTorch best = \(references.bestDescription)")
        print("  s/step = median over rounds; ratio = Kinema time / PyTorch time (below 1: Kinema faster), the geometric mean of")
        print("  the per-round ratios with a 95 % t interval on their logs; best layout: cl = channels_last_3d, nchw = contiguous,")
        print("  - = not applicable (ViTs: contiguous everywhere)")
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
        let kinema = try c.makeStep()
        kinema.step()
        let trial = kinema.seconds(1)
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
        let layout = if case .classification = c.kind { (pytorchBest["layout"] as? String) == "channels_last" ? "cl" : "nchw" } else { "-" }
        let flops = (pytorchDefault["flops"] as? NSNumber)?.doubleValue ?? .nan
        let label = (c.label + (c.note.isEmpty ? "" : " (\(c.note))")).padding(toLength: Self.labelWidth, withPad: " ", startingAt: 0)
        let line = label + String(format: " %7.3f %7.3f %7.3f %@  %@  %@  %5d×%-6d  %6.0f",
            median(seconds[0]), median(seconds[1]), median(seconds[2]), layout.padding(toLength: 4, withPad: " ", startingAt: 0),
            versusDefault.text.padding(toLength: 17, withPad: " ", startingAt: 0), versusBest.text.padding(toLength: 17, withPad: " ", startingAt: 0),
            steps, rounds, flops / median(seconds[0]) / 1e9)
        return Row(line: line, best: versusBest)
    }
}
