import ArgumentParser
import Foundation
import KinemaChecks
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor

/// The timed training steps of the GPU bench, as Tools/device/torch_step.py times them in
/// PyTorch: R(2+1)D-18 (16×112², batch 32) and VideoMAE's ViT-B (16×224², batch 8, 90 % tube
/// mask), forward and loss under autocast, backward, AdamW (fused on a GPU, as `run.fusedOptimizer`
/// does). `vit` is ViT-B fine-tuning (every one of the 1568 tokens, batch 8), where activation
/// checkpointing (`--checkpoint-blocks`) matters most; the peak resident memory of the process is
/// printed with each step (on a GPU it is the host's, not the device's).
struct Step: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Times training steps of R(2+1)D-18 or VideoMAE ViT-B.")

    @Argument(help: "r2plus1d, videomae or vit.") var model: String
    @Option(help: "cpu, cuda or cuda:N.") var device = "cuda"
    @Option(help: "fp32, bf16 or fp16.") var precision = "bf16"
    @Option(help: "Timed steps (after 3 untimed ones).") var steps = 10
    @Option(help: "Batch size (default: 32 for r2plus1d, 8 for the ViTs).") var batch: Int?
    @Flag(help: "Recompute each ViT block in backward (activation checkpointing).") var checkpointBlocks = false

    func run() throws {
        let device = try usableDevice(device)
        guard let precision = Precision(rawValue: precision) else { throw ValidationError("--precision must be fp32, bf16 or fp16") }
        let recipe = MixedPrecision(precision, device: device)
        let step: () -> Void
        switch model {
        case "r2plus1d": step = try convolutionStep(device, recipe, batch: batch ?? 32)
        case "videomae": step = try maskedAutoencoderStep(device, recipe, batch: batch ?? 8)
        case "vit": step = try vitStep(device, recipe, batch: batch ?? 8)
        default: throw ValidationError("the model must be r2plus1d, videomae or vit, got '\(model)'")
        }
        for _ in 0..<3 { step() }
        Engine.synchronize(device)
        var times: [Double] = []
        for _ in 0..<steps {
            let start = Date()
            step()
            Engine.synchronize(device)
            times.append(Date().timeIntervalSince(start))
        }
        times.sort()
        report(["check": "step", "side": "kinema", "model": model, "device": device.description, "precision": precision.rawValue,
                "median_ms": times[times.count / 2] * 1000, "min_ms": times[0] * 1000, "steps": steps,
                "checkpoint_blocks": checkpointBlocks, "peak_resident_mib": peakResidentMiB()])
    }

    /// torchvision's r2plus1d_18 layout with 400 classes, AdamW (lr 1e-3, weight decay 1e-4).
    private func convolutionStep(_ device: Device, _ recipe: MixedPrecision, batch: Int) throws -> () -> Void {
        Engine.seed(0)
        let model = try ModelName.r2plus1d18.make(ParameterStore(device: device).root, classes: 400)
        return try classificationStep(model, size: 112, learningRate: 1e-3, weightDecay: 1e-4, device, recipe, batch: batch)
    }

    /// VideoMAE's pretraining network (ViT-B encoder on the visible tokens, 4-block decoder) with
    /// the mean squared error of the masked tokens' predictions against a fixed target, AdamW β
    /// (0.9, 0.95), weight decay 0.05. Both sides leave out the per-patch normalised pixel target
    /// (a reshape and a norm of the clip, a few per cent of the step), which Kinema computes in
    /// KinemaPretext, a layer this OpenCV-free binary does not link.
    private func maskedAutoencoderStep(_ device: Device, _ recipe: MixedPrecision, batch: Int) throws -> () -> Void {
        Engine.seed(0)
        var encoder = ModelName.vitB16.vitConfiguration()!
        encoder.checkpointBlocks = checkpointBlocks
        let model = try MaskedVideoAutoencoder(ParameterStore(device: device).root, encoder: encoder, decoder: .videoMAE(for: .vitB16)!)
        let optimizer = try AdamW(model.trainableParameters().map(\.tensor), learningRate: 1e-4, betas: (0.9, 0.95), weightDecay: 0.05)
        optimizer.fused = device.kind == .cuda
        let x = try Tensor.randn([batch, 3, 16, 224, 224]).to(device)
        // A 90 % tube mask: ⌊0.9·196⌋ = 176 of the 196 positions hidden, the same in each of the 8 slices.
        let (visible, masked) = try tubeMask(batch: batch, slices: 8, positions: 196, masked: 176, device: device)
        let target = try Tensor.randn([batch, masked.size(1), 1536]).to(device)
        return {
            optimizer.zeroGrad()
            recipe.backward(recipe.forward { model(x, visible: visible, masked: masked, mode: .train).mseLoss(target) })
            recipe.step(optimizer)
        }
    }

    /// ViT-B/16 fine-tuning with 400 classes, AdamW β (0.9, 0.999), weight decay 0.05.
    private func vitStep(_ device: Device, _ recipe: MixedPrecision, batch: Int) throws -> () -> Void {
        Engine.seed(0)
        let model = try ModelName.vitB16.make(ParameterStore(device: device).root, classes: 400, checkpointBlocks: checkpointBlocks)
        return try classificationStep(model, size: 224, learningRate: 1e-4, weightDecay: 0.05, device, recipe, batch: batch)
    }

    /// `model`'s step on a random batch `[batch, 3, 16, size, size]`: cross-entropy over 400 classes, AdamW.
    private func classificationStep(
        _ model: any Backbone, size: Int, learningRate: Double, weightDecay: Double, _ device: Device, _ recipe: MixedPrecision,
        batch: Int
    ) throws -> () -> Void {
        let optimizer = try AdamW(model.trainableParameters().map(\.tensor), learningRate: learningRate, weightDecay: weightDecay)
        optimizer.fused = device.kind == .cuda
        let x = try Tensor.randn([batch, 3, 16, size, size]).to(device)
        let y = try Tensor.arange(0, batch).remainder(400).to(device)
        return {
            optimizer.zeroGrad()
            recipe.backward(recipe.forward { model(x, mode: .train).crossEntropy(targets: y) })
            recipe.step(optimizer)
        }
    }

    /// The process's peak resident memory so far (VmHWM), MiB; 0 where /proc is missing.
    private func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib / 1024
    }

    /// Token indices `[N, V]` and `[N, M]` (ascending) of a tube mask that hides `masked` of the
    /// `positions` of each temporal slice, the same positions in every slice; seeded.
    private func tubeMask(batch: Int, slices: Int, positions: Int, masked: Int, device: Device) throws -> (Tensor, Tensor) {
        var visible: [Int64] = []
        var hidden: [Int64] = []
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<batch {
            var order = Array(0..<positions)
            for i in stride(from: positions - 1, to: 0, by: -1) {  // Fisher–Yates with a 64-bit LCG
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                order.swapAt(i, Int(state >> 33) % (i + 1))
            }
            let hiddenPositions = Set(order.prefix(masked))
            for token in 0..<(slices * positions) {
                if hiddenPositions.contains(token % positions) { hidden.append(Int64(token)) } else { visible.append(Int64(token)) }
            }
        }
        let v = slices * (positions - masked)
        return (
            try Tensor(visible, shape: [batch, v]).to(device),
            try Tensor(hidden, shape: [batch, slices * masked]).to(device)
        )
    }
}
