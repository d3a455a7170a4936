import Foundation
import KinemaTrain

/// `--only scaling`: data-parallel efficiency on this CPU. The tiny MoSI config trains on one
/// global batch, once as 1 process × 1 thread and once as `kinema launch --nproc-per-node 2` ×
/// 1 thread; the time per step is the difference between a long and a short run's wall time over
/// the difference in steps (start-up, rendezvous and validation cancel). Efficiency is
/// t₁ / (2 · t₂): 100 % when two processes halve the step (target ≥ 85 %).
struct ScalingBench {
    let rounds: Int
    let photos: String
    var imagesPerStep = 4
    var steps = (short: 4, long: 24)

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
        var (single, double) = ([Double](), [Double]())
        for _ in 0..<rounds {
            single.append(try secondsPerStep(kinema, processes: 1))
            double.append(try secondsPerStep(kinema, processes: 2))
        }
        // Time of 2 × t₂ over t₁: its inverse is the efficiency.
        let interval = RatioInterval(kinema: double.map { 2 * $0 }, reference: single)
        print(String(
            format: "data-parallel scaling, tiny MoSI, global batch %d images (%d clips): 1 process × 1 thread %.3f s/step, "
                + "2 processes × 1 thread %.3f s/step; efficiency %.0f %% [%.0f, %.0f] over %d rounds (target ≥ 85 %%)",
            imagesPerStep, imagesPerStep * 9, median(single), median(double), 100 / interval.ratio, 100 / interval.high,
            100 / interval.low, rounds))
    }

    private func secondsPerStep(_ kinema: URL, processes: Int) throws -> Double {
        let short = try wallSeconds(kinema, processes: processes, steps: steps.short)
        let long = try wallSeconds(kinema, processes: processes, steps: steps.long)
        return max(long - short, 1e-9) / Double(steps.long - steps.short)
    }

    private func wallSeconds(_ kinema: URL, processes: Int, steps: Int) throws -> Double {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-bench-scaling-\(getpid())")
        try? FileManager.default.removeItem(at: output)
        defer { try? FileManager.default.removeItem(at: output) }
        let training = [
            "mosi", "pretrain", "--config", "configs/mosi/tiny_cpu.yaml", "--set", "data.source=\(photos)",
            "--set", "data.imagesPerStep=\(imagesPerStep)", "--set", "steps=\(steps)", "--set", "validateEvery=\(steps)",
            "--set", "data.validationImages=1", "--set", "run.tensorBoard=false", "--threads", "1", "--output", output.path,
        ]
        let process = Process()
        process.executableURL = kinema
        process.arguments = processes == 1 ? training : ["launch", "--nproc-per-node", "\(processes)"] + training
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("data-parallel scaling: `kinema \(process.arguments!.joined(separator: " "))` failed")
        }
        return Date().timeIntervalSince(start)
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
