import Foundation
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
    }
}
