import Foundation
import KinemaModels
import KinemaTensor

/// `make bench`: Kinema against eager PyTorch (same libtorch, same thread count), measured in the
/// same run and printed as `ratio=<kinema/pytorch>`; below 1 means Kinema is faster.
@main
struct Bench {
    static func main() throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: String) -> String {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
            return arguments[i + 1]
        }
        let threads = Int(option("--threads", "2")) ?? 2
        let reference = Reference(python: option("--python", ".deps/pyref/bin/python"), script: "Tools/bench/reference.py")
        let only = option("--only", "all")
        Engine.threadCount = threads
        print("Kinema bench — libtorch \(Engine.runtimeTorchVersion), \(threads) threads")

        if only == "all" || only == "overhead" {
            let ops = 10_000
            let ours = kinemaOverheadMicroseconds(ops: ops)
            let theirs = try reference.run(["overhead", "--threads", "\(threads)", "--ops", "\(ops)"])["us_per_op"] as! Double
            print(String(format: "per-op overhead (%d small adds): kinema=%.2fus pytorch=%.2fus ratio=%.2f",
                ops, ours, theirs, ours / theirs))
        }

        if only == "all" || only == "mosi" {
            let tadaconv = option("--tadaconv", "")
            try MoSIGeneratorBench(threads: threads, python: option("--python", ".deps/pyref/bin/python"),
                tadaconv: tadaconv.isEmpty ? nil : tadaconv, images: Int(option("--mosi-images", "64")) ?? 64).run()
        }

        if only == "all" || only == "pretrain" {
            try PretrainingBench(threads: threads, photos: option("--photos", ".deps/data/photos-demo")).run()
        }

        if only == "all" || only == "step" {
            let quick = arguments.contains("--quick")
            var cases: [StepCase] = []
            for model in [ModelName.r3d18, .r2plus1d18] {
                cases.append(StepCase(model: model, batch: 9, frames: 8, size: 64, steps: quick ? 2 : 5))
                if !quick { cases.append(StepCase(model: model, batch: 9, frames: 16, size: 112, steps: 3)) }
            }
            // MoSI's pretraining step at the paper's size: one source image's 9 clips.
            for model in [ModelName.r2plus1d10, .r2d3d18] where !quick {
                cases.append(StepCase(model: model, batch: 9, frames: 16, size: 112, steps: 3))
            }
            // --models r2plus1d_10,r2d3d_18 runs only those models' cases.
            let models = Set(option("--models", "").split(separator: ",").map(String.init))
            for c in cases where models.isEmpty || models.contains(c.model.rawValue) {
                let theirs = try reference.run(c.referenceArguments + ["--threads", "\(threads)"])
                let theirSeconds = theirs["seconds"] as! Double
                let flops = (theirs["flops"] as! NSNumber).doubleValue
                let ours = try c.kinemaSeconds(channelsLast: true)
                print(String(format: "%@ train step: kinema=%.3fs (%.0f GFLOP/s) pytorch=%.3fs (%.0f GFLOP/s) ratio=%.2f",
                    c.label, ours, flops / ours / 1e9, theirSeconds, flops / theirSeconds / 1e9, ours / theirSeconds))
            }
        }
    }
}
