import Foundation
import KinemaTrain

/// `--only scaling`: data-parallel efficiency on this CPU. The tiny MoSI config trains on one
/// global batch, once as 1 process × 1 thread and once as `kinema launch --nproc-per-node 2` ×
/// 1 thread; the time per step is the difference between a long and a short run's wall time over
/// the difference in steps (start-up, rendezvous and validation cancel). Efficiency is
/// t₁ / (2 · t₂): 100 % when two processes halve the step (target ≥ 85 %). Beside it, the share of
/// rank 0's training time spent in collectives in the long two-process run (MoSI's summary:
/// allreduce and broadcast, waiting for the other rank included): what overlapping the allreduce
/// with the backward pass (c10d's Reducer) could at best hide.
///
/// Two cases: the tiny network, whose step is short enough that rendering the pseudo motions
/// (MoSI's generator, on a thread of its own) is a large part of the work — one process renders
/// on the second core for free while it computes, two processes share the cores with their
/// renderers — and R3D-18 at width 32 (≈ 8 M parameters, 32 MB of gradients a step), where the
/// computation and the allreduce dominate.
struct ScalingBench {
    let rounds: Int
    let photos: String
    var imagesPerStep = 4

    /// A model and the run lengths that time it.
    struct Case {
        let name: String
        let overrides: [String]
        let steps: (short: Int, long: Int)
    }

    static let cases = [
        Case(name: "r3d_18_tiny", overrides: [], steps: (4, 24)),
        Case(name: "r3d_18 at width 32", overrides: ["model.name=r3d_18", "model.width=32"], steps: (2, 8)),
    ]

    func run() throws {
        guard FileManager.default.fileExists(atPath: photos) else {
            print("data-parallel scaling: skipped, no photos at \(photos) (Tools/data/fetch-demo.sh fetches them)")
            return
        }
        let kinema = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("kinema")
        guard FileManager.default.isExecutableFile(atPath: kinema.path) else {
            print("data-parallel scaling: skipped, no kinema executable beside kinema-bench (build the package)")
            return
        }
        for scaling in Self.cases {
            var (single, double, communication) = ([Double](), [Double](), [Double]())
            for _ in 0..<rounds {
                single.append(try secondsPerStep(kinema, scaling, processes: 1).seconds)
                let two = try secondsPerStep(kinema, scaling, processes: 2)
                double.append(two.seconds)
                communication.append(two.communication)
            }
            // Time of 2 × t₂ over t₁: its inverse is the efficiency.
            let interval = RatioInterval(kinema: double.map { 2 * $0 }, reference: single)
            print(String(
                format: "data-parallel scaling, MoSI %@, global batch %d images (%d clips): 1 process × 1 thread %.3f s/step, "
                    + "2 processes × 1 thread %.3f s/step; efficiency %.0f %% [%.0f, %.0f] over %d rounds (target ≥ 85 %%); "
                    + "rank 0 in collectives %.0f %% of its training time (%.0f–%.0f %%)",
                scaling.name, imagesPerStep, imagesPerStep * 9, median(single), median(double), 100 / interval.ratio,
                100 / interval.high, 100 / interval.low, rounds, 100 * median(communication), 100 * communication.min()!,
                100 * communication.max()!))
        }
    }

    /// Seconds a step, and the long run's fraction of time in collectives.
    private func secondsPerStep(_ kinema: URL, _ scaling: Case, processes: Int) throws -> (seconds: Double, communication: Double) {
        let short = try wallSeconds(kinema, scaling, processes: processes, steps: scaling.steps.short)
        let long = try wallSeconds(kinema, scaling, processes: processes, steps: scaling.steps.long)
        return (max(long.seconds - short.seconds, 1e-9) / Double(scaling.steps.long - scaling.steps.short), long.communication)
    }

    /// A run's wall time, and its summary's communicationFraction.
    private func wallSeconds(_ kinema: URL, _ scaling: Case, processes: Int, steps: Int) throws -> (seconds: Double, communication: Double) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-bench-scaling-\(getpid())")
        try? FileManager.default.removeItem(at: output)
        defer { try? FileManager.default.removeItem(at: output) }
        let training = [
            "mosi", "pretrain", "--config", "configs/mosi/tiny_cpu.yaml", "--set", "data.source=\(photos)",
            "--set", "data.imagesPerStep=\(imagesPerStep)", "--set", "steps=\(steps)", "--set", "validateEvery=\(steps)",
            "--set", "data.validationImages=1", "--set", "run.tensorBoard=false", "--threads", "1", "--output", output.path,
        ] + scaling.overrides.flatMap { ["--set", $0] }
        let process = Process()
        process.executableURL = kinema
        process.arguments = processes == 1 ? training : ["launch", "--nproc-per-node", "\(processes)"] + training
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        guard process.terminationStatus == 0 else {
            throw BenchError("data-parallel scaling: `kinema \(process.arguments!.joined(separator: " "))` failed")
        }
        let summary = try JSONDecoder().decode(MoSISummary.self, from: Data(contentsOf: output.appendingPathComponent("summary.json")))
        return (seconds, summary.communicationFraction)
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
