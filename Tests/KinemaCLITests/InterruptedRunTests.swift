#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaOptim
import KinemaTensor
import Testing

/// The tiny MoSI run of these tests: 12 steps on one thread, so the run is deterministic and a
/// resumed run must end bit for bit where an uninterrupted one does.
private func tinyRun(output: URL) throws -> [String] {
    [
        "mosi", "pretrain", "--config", "configs/mosi/tiny_cpu.yaml",
        "--set", "data.source=\(try TestData.url("photos-demo").path)", "--set", "steps=12",
        "--set", "validateEvery=12", "--set", "run.tensorBoard=false", "--threads", "1", "--output", output.path,
    ]
}

/// Every tensor of the two checkpoints (model, optimizer, generators) is identical.
private func expectIdentical(_ a: URL, _ b: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let (x, y) = (try Checkpoint.load(a), try Checkpoint.load(b))
    #expect(x.step == y.step, sourceLocation: sourceLocation)
    for (kind, left, right) in [("model", x.model, y.model), ("optimizer", x.optimizer, y.optimizer), ("extra", x.extra, y.extra)] {
        #expect(Set(left.keys) == Set(right.keys), "\(kind) keys", sourceLocation: sourceLocation)
        for (name, tensor) in right {
            guard let other = left[name] else { continue }
            #expect(other.isEqual(to: tensor), "\(kind) \(name) differs", sourceLocation: sourceLocation)
        }
    }
}

/// Stops a real run with SIGINT or SIGTERM at points drawn from a seeded generator (after a drawn
/// number of logged steps, plus a drawn delay that lands anywhere in a step), then resumes it,
/// `KINEMA_INTERRUPT_ROUNDS` times (3 in `make test`; more by hand): it must end with the weights,
/// optimizer state and generators of the uninterrupted run, bit for bit. One of the resumes runs
/// under a file-size limit smaller than a checkpoint (`ulimit -f`: a full disk, as the writer
/// sees it) and must fail saying so, leaving the previous checkpoint byte for byte.
@Suite(.serialized) struct InterruptedRunTests {
    @Test func aRunStoppedAtRandomPointsResumesToTheSameWeights() throws {
        let folder = TemporaryFolder()
        let (straight, stopped) = (folder.file("straight"), folder.file("stopped"))
        let reference = try CLIRunner.run(try tinyRun(output: straight))
        try #require(reference.status == 0, "\(reference.output)")

        let rounds = Int(ProcessInfo.processInfo.environment["KINEMA_INTERRUPT_ROUNDS"] ?? "") ?? 3
        var random = KinemaData.SeededGenerator(seed: 20261203)
        let checkpoint = stopped.appendingPathComponent("checkpoints/last.safetensors")
        let metrics = stopped.appendingPathComponent("metrics.jsonl")
        var lastStop = 0
        for round in 0..<rounds {
            let arguments = round == 0 ? try tinyRun(output: stopped) : ["mosi", "pretrain", "--resume", "--output", stopped.path]
            let run = try BackgroundLaunch(arguments)
            let logged = { ((try? String(contentsOf: metrics, encoding: .utf8)) ?? "").components(separatedBy: "\"train\"").count - 1 }
            let target = min(lastStop + 1 + Int(random.next() % 3), 10)
            try #require(run.wait(seconds: 120) { logged() >= target || !run.process.isRunning }, "no progress: \(run.output)")
            usleep(useconds_t(random.next() % 400_000))
            let signal = round % 2 == 0 ? SIGINT : SIGTERM
            kill(run.process.processIdentifier, signal)
            run.process.waitUntilExit()
            let step = try Checkpoint.load(checkpoint).step
            #expect(step >= lastStop, "round \(round): the checkpoint went back from \(lastStop) to \(step)")
            #expect(run.process.terminationStatus != 0 || step == 12, "round \(round): \(run.output)")
            lastStop = step
            if step == 12 { break }

            if round == 0 {
                // A full disk: the next checkpoint cannot be written; the last one must survive as it is.
                let before = try Data(contentsOf: checkpoint)
                let limitBlocks = before.count / 512 / 2
                let full = try CLIRunner.run(
                    ["-c", "ulimit -f \(limitBlocks) && exec \"$0\" \"$@\"", CLIRunner.executable.path,
                     "mosi", "pretrain", "--resume", "--output", stopped.path, "--set", "run.checkpointEvery=1"],
                    executable: URL(fileURLWithPath: "/bin/sh"))
                #expect(full.status == 1, "\(full.output)")
                #expect(full.output.contains("cannot be written") && full.output.contains("unchanged"), "\(full.output)")
                #expect(try Data(contentsOf: checkpoint) == before, "the checkpoint changed under a full disk")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: checkpoint.deletingLastPathComponent().path)
                #expect(leftovers == ["last.safetensors"], "partial files left: \(leftovers)")
            }
        }
        if lastStop < 12 {
            let finish = try CLIRunner.run(["mosi", "pretrain", "--resume", "--output", stopped.path])
            try #require(finish.status == 0, "\(finish.output)")
        }
        try expectIdentical(checkpoint, straight.appendingPathComponent("checkpoints/last.safetensors"))
    }
}
