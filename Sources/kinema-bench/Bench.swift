import Foundation
import KinemaModels
import KinemaTensor

/// `make bench`: Kinema against PyTorch (same libtorch, same thread count), measured in the same
/// run, the sides' timed runs interleaved; ratios are Kinema's time over PyTorch's with 95 %
/// intervals (below 1: Kinema faster).
///
///     kinema-bench [--only overhead,step,mosi,pretrain,mme,scaling,decoding] [--data .deps/data] [--videos DATA/videos] [--gpu-clips-per-second 1000] [--models r3d_18,r2plus1d_18,r2plus1d_10,r3d_18_tiny,vit_s_16,vit_b_16]
///                  [--sizes mosi,demo,videomae,finetune,cgm,cgm-small] [--repeats 5] [--threads 2] [--python .deps/pyref/bin/python]
///                  [--photos .deps/data/photos-demo] [--tadaconv PATH] [--mosi-images 64]
@main
struct Bench {
    static let parts = ["overhead", "step", "mosi", "pretrain", "mme", "scaling", "decoding"]
    /// The CNNs' default rows; the ViTs' are StepBench's.
    static let defaultModels: [ModelName] = [.r3d18, .r2plus1d18, .r2plus1d10, .r3d18Tiny]
    /// `--sizes`: mosi and demo apply to the CNNs of `--models`, videomae and finetune to its ViTs;
    /// cgm (CGM-Net's step, r3d_18 encoder) and cgm-small (its quick check) ignore `--models`.
    static let stepSizes = ["mosi", "demo", "videomae", "finetune", "cgm", "cgm-small"]
    /// Without `--sizes`: all but the quick check.
    static let defaultStepSizes = stepSizes.filter { $0 != "cgm-small" }

    static func main() {
        do {
            try run(Options(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("kinema-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ options: Options) throws {
        let threads = try options.integer("--threads", 2, minimum: 1)
        let rounds = try options.integer("--repeats", 5, minimum: 2)
        let python = options.value("--python") ?? ".deps/pyref/bin/python"
        let only = try options.list("--only", allowed: parts) ?? parts
        // nil: each size's default models (StepBench.cases).
        let models = try options.list("--models", allowed: ModelName.allCases.map(\.rawValue))?.map { ModelName(rawValue: $0)! }
        let sizes = Set(try options.list("--sizes", allowed: stepSizes) ?? defaultStepSizes)
        Engine.threadCount = threads
        // Internal: `--memory-probe SIZE:cl|nchw`, Kinema's side of a CGM-Net case's peak memory in a
        // fresh process (StepMemory); prints one JSON line and nothing else.
        if let probe = options.value("--memory-probe") {
            let parts = probe.split(separator: ":").map(String.init)
            guard parts.count == 2, ["cgm", "cgm-small"].contains(parts[0]), ["cl", "nchw"].contains(parts[1]) else {
                throw BenchError("--memory-probe takes cgm|cgm-small:cl|nchw, got '\(probe)'")
            }
            try StepMemory.kinemaProbe(StepBench.cgmCase(parts[0]), channelsLast: parts[1] == "cl")
            return
        }
        print("Kinema bench — libtorch \(Engine.runtimeTorchVersion), \(threads) threads, load average \(loadAverage()) at start")

        let references = only.contains("overhead") || only.contains("step") ? try References(python: python, threads: threads) : nil
        if let references, only.contains("overhead") {
            try overheadBench(references: references, rounds: rounds)
        }
        if only.contains("mosi") {
            let tadaconv = options.value("--tadaconv")
            try MoSIGeneratorBench(threads: threads, python: python, tadaconv: tadaconv,
                images: try options.integer("--mosi-images", 64, minimum: 1)).run()
        }
        if only.contains("pretrain") {
            try PretrainingBench(threads: threads, photos: options.value("--photos") ?? ".deps/data/photos-demo").run()
        }
        if only.contains("scaling") {
            try ScalingBench(rounds: rounds, photos: options.value("--photos") ?? ".deps/data/photos-demo").run()
        }
        if only.contains("mme") {
            try MMEBench(threads: threads, rounds: rounds, data: URL(fileURLWithPath: options.value("--data") ?? ".deps/data"),
                gpuClipsPerSecond: Double(try options.integer("--gpu-clips-per-second", 1000, minimum: 1))).run()
        }
        if only.contains("decoding") {
            let videos = options.value("--videos") ?? URL(fileURLWithPath: options.value("--data") ?? ".deps/data").appendingPathComponent("videos").path
            try DecodingBench(rounds: rounds, videos: URL(fileURLWithPath: videos)).run()
        }
        if let references, only.contains("step") {
            let missed = try StepBench(cases: StepBench.cases(models: models, sizes: sizes), rounds: rounds, references: references).run()
            print("goal, upper end of the Kinema/PyTorch-best interval ≤ 1.03: "
                + (missed.isEmpty ? "met in every case" : "not met for \(missed.joined(separator: ", "))"))
        }
        print("load average \(loadAverage()) at the end")
        if let load = Double(loadAverage().split(separator: " ").first ?? ""), load > Double(ProcessInfo.processInfo.activeProcessorCount) {
            print("note: the load average exceeds the \(ProcessInfo.processInfo.activeProcessorCount) cores: other work shared them, and"
                + " OpenMP threads that spin-wait for a descheduled partner inflate every side's times; re-run on an idle machine")
        }
    }
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
}

/// `--name value` options; anything else is an error that says what is known.
struct Options {
    static let known = [
        "--data", "--videos", "--gpu-clips-per-second", "--only", "--models", "--sizes", "--repeats", "--threads", "--python", "--photos", "--tadaconv",
        "--mosi-images", "--memory-probe",
    ]
    private var values: [String: String] = [:]

    init(_ arguments: ArraySlice<String>) throws {
        var rest = arguments
        while let name = rest.popFirst() {
            guard Self.known.contains(name) else {
                throw BenchError("unknown option '\(name)'; options: \(Self.known.joined(separator: ", ")) (each takes a value)")
            }
            guard let value = rest.popFirst() else { throw BenchError("\(name) needs a value") }
            values[name] = value
        }
    }

    func value(_ name: String) -> String? { values[name] }

    func integer(_ name: String, _ fallback: Int, minimum: Int) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let number = Int(text), number >= minimum else { throw BenchError("\(name) must be an integer ≥ \(minimum), got '\(text)'") }
        return number
    }

    /// A comma-separated subset of `allowed`.
    func list(_ name: String, allowed: [String]) throws -> [String]? {
        guard let text = values[name] else { return nil }
        let items = text.split(separator: ",").map(String.init)
        if let unknown = items.first(where: { !allowed.contains($0) }) {
            throw BenchError("\(name): unknown '\(unknown)'; known: \(allowed.joined(separator: ", "))")
        }
        guard !items.isEmpty else { throw BenchError("\(name) needs at least one value") }
        return items
    }
}
