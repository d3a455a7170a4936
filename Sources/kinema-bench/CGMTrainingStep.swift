import Foundation
import KinemaModels
import KinemaOptim

/// Kinema's side of a `cgm-*` case: CGM-Net's training step as `kinema cgm pretrain`
/// (CGMPretraining) makes it — ``CGMNet`` with the default ``CGMNetConfiguration`` (r3d_18 encoder,
/// `k = 3`, `k̂ = 9`, `r = 4`, context-guided upsampling, softmax filters) on the first `frames` of a
/// fixed random batch of `frames + 1` frames in [−1, 1], ``CGMReconstructionLoss`` (L_HR + L_LR)
/// against frames 1…`frames`, backward, Adam (lr 1e-3, β (0.9, 0.999), no weight decay: the
/// configs' defaults; no gradient clipping, no schedule). Tools/bench/cgm_reference.py's `CGMCase`
/// is the same network in PyTorch with the same formulation of Eqs. 1–5.
///
/// `channelsLast`: the 5-D weights (encoder, decoder) and the clip in channels_last_3d, the 4-D
/// weights (context extractor, CGMUL) in channels_last, as the reference's `channels_last` layout.
/// CGMPretraining itself runs contiguous; the bench tries both (see ``StepBench``).
final class CGMTrainingStep: TimedStep {
    private let model: CGMNet
    private let optimizer: Adam
    private let frames: Tensor
    private let clipFrames: Int
    private let loss = CGMReconstructionLoss()

    init(_ c: StepCase, channelsLast: Bool) throws {
        Engine.seed(0)
        let store = ParameterStore()
        model = try CGMNet(store.root, CGMNetConfiguration())
        if let problem = model.configuration.problem(with: ClipShape(frames: c.frames, height: c.size, width: c.size)) {
            throw BenchError("\(c.label): \(problem)")
        }
        var frames = Tensor.rand([c.batch, 3, c.frames + 1, c.size, c.size]) * 2 - 1
        if channelsLast {
            for (_, weight) in model.trainableParameters() where weight.rank == 4 || weight.rank == 5 {
                withNoGrad { weight.setData(weight.contiguous(weight.rank == 4 ? .channelsLast : .channelsLast3d)) }
            }
            frames = frames.contiguous(.channelsLast3d)
        }
        self.frames = frames
        clipFrames = c.frames
        optimizer = try Adam(groups: [
            ParameterGroup(named: model.trainableParameters(), options: AdamOptions(learningRate: 1e-3, betas: (0.9, 0.999)))
        ])
    }

    func step() {
        optimizer.zeroGrad()
        loss(model(frames.narrowed(dim: 2, start: 0, length: clipFrames), mode: .train), frames: frames).total.backward()
        optimizer.step()
    }
}

/// Resident memory of this process (Linux's /proc/self/status), bytes.
struct ResidentMemory: Codable {
    /// VmRSS: now.
    var rss: Double
    /// VmHWM: the peak so far.
    var peak: Double

    static func now() -> ResidentMemory {
        let status = String(decoding: FileHandle(forReadingAtPath: "/proc/self/status")?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        func kilobytes(_ key: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }),
                let value = line.split(separator: " ").dropFirst().first(where: { !$0.isEmpty }).flatMap({ Double($0) })
            else { return .nan }
            return value * 1024
        }
        return ResidentMemory(rss: kilobytes("VmRSS"), peak: kilobytes("VmHWM"))
    }
}

/// The peak resident memory of one side's step, each measured in a fresh process that builds
/// the case and makes two steps (the first allocates the optimizer's state): the process's peak
/// (VmHWM) and its rise over the process's resident memory before the case was built (runtime,
/// libraries; for Python also the interpreter and its imports).
struct StepMemory {
    let baseline: Double
    let peak: Double

    var text: String { String(format: "%.2f GB (+%.2f)", peak / 1e9, (peak - baseline) / 1e9) }

    /// `kinema-bench --memory-probe SIZE:cl|nchw --threads N` (internal): Kinema's side, in this
    /// (fresh) process; prints one JSON line.
    static func kinemaProbe(_ c: StepCase, channelsLast: Bool) throws {
        _ = (Tensor.zeros([1]) + 1).item(Double.self)  // libtorch initialised before the baseline
        let baseline = ResidentMemory.now().rss
        let step = try CGMTrainingStep(c, channelsLast: channelsLast)
        step.step()
        step.step()
        let data = try JSONSerialization.data(withJSONObject: ["baseline": baseline, "peak": ResidentMemory.now().peak])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Kinema's side through a fresh `kinema-bench` process.
    static func kinema(_ c: StepCase, channelsLast: Bool, threads: Int) throws -> StepMemory {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Bundle.main.executablePath ?? "/proc/self/exe")
        process.arguments = ["--memory-probe", "\(c.sizeName):\(channelsLast ? "cl" : "nchw")", "--threads", "\(threads)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
            let reply = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        else { throw BenchError("the Kinema memory probe failed: \(process.arguments!.joined(separator: " "))") }
        return StepMemory(baseline: try reply.number("baseline", from: "kinema memory probe"), peak: try reply.number("peak", from: "kinema memory probe"))
    }

    /// A PyTorch side through a fresh Tools/bench/reference.py (its `cgm` command makes the two
    /// steps: the FLOP-counting warm-up and the timed one).
    static func pytorch(_ c: StepCase, references: References, best: Bool, layout: String) throws -> StepMemory {
        let server = try references.freshServer(best: best, layout: layout)
        let before = try server.send("memory").number("rss", from: server.name)
        _ = try references.setUp(c, on: server)
        return StepMemory(baseline: before, peak: try server.send("memory").number("peak", from: server.name))
    }
}
