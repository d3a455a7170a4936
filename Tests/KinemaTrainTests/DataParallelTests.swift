import Foundation
import KinemaNN
import KinemaTensor
import KinemaTestSupport
import KinemaTrain
import Synchronization
import Testing

/// Runs `body` as ranks 0 and 1 of a real Gloo process group on 127.0.0.1, one thread each (as
/// PyTorch's threaded collective tests do), and returns what each rank returned. Rank 1 closes
/// its group before rank 0, whose process serves the store, closes its own.
private func onTwoRanks<T: Sendable>(
    timeoutSeconds: Double = 60, _ body: @escaping @Sendable (ProcessGroup) throws -> T
) throws -> [T] {
    let port = try DistributedEnvironment.freePort()
    let results = Mutex<[Int: Result<T, any Error>]>([:])
    let done = DispatchGroup()
    let clientClosed = DispatchSemaphore(value: 0)
    for rank in 0..<2 {
        done.enter()
        Thread {
            let result = Result { () throws -> T in
                let group = try ProcessGroup(
                    Rendezvous(host: "127.0.0.1", port: port, rank: rank, worldSize: 2, timeoutSeconds: timeoutSeconds))
                return try body(group)
            }
            if rank == 1 { clientClosed.signal() } else { clientClosed.wait() }
            results.withLock { $0[rank] = result }
            done.leave()
        }.start()
    }
    done.wait()
    return try results.withLock { all in try (0..<2).map { try all[$0]!.get() } }
}

/// Deterministic values with a non-zero mean, so normalisation has something to remove.
private func values(_ count: Int, offset: Float = 3) -> [Float] {
    (0..<count).map { offset + Float(($0 * 37) % 23) / 7 - 1.5 }
}

/// The process group and what data parallelism builds on it, checked against one process on the
/// whole batch: collectives, synchronised BatchNorm, averaged gradients, the start broadcast, and
/// a rank that leaves. `make test-collectives` runs them (KINEMA_COLLECTIVE_TESTS=1): two Gloo
/// groups in the test process crashed once in `make test` while other suites ran beside them.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["KINEMA_COLLECTIVE_TESTS"] == "1"))
struct DataParallelTests {
    @Test func allReduceSumsAndBroadcastCopiesRankZero() throws {
        let results = try onTwoRanks { group -> ([Float], [Float]) in
            let summed = Tensor([Float(group.rank + 1), 10 * Float(group.rank + 1)])
            try group.allReduceSum([summed])
            let copied = Tensor([Float(group.rank) + 5, -1])
            try group.broadcast([copied], from: 0)
            return (summed.array(of: Float.self), copied.array(of: Float.self))
        }
        for (summed, copied) in results {
            #expect(summed == [3, 30])
            #expect(copied == [5, -1])
        }
    }

    /// Two ranks holding one half of a batch each normalise it as BatchNorm does the whole batch
    /// in one process, with the same input gradients (of the summed loss), parameter gradients
    /// (summed over ranks) and running statistics.
    @Test func synchronisedBatchNormOnHalvesEqualsBatchNormOnTheWholeBatch() throws {
        let shape = [4, 3, 5]
        let input = values(60)
        let lossWeights = values(60, offset: 0)
        @Sendable func run(_ rows: Range<Int>, group: ProcessGroup?) -> [[Float]] {
            let store = ParameterStore()
            store.batchNormGroup = group
            let norm = try! BatchNorm1d(store.root / "bn", features: 3)
            let per = 15
            let x = Tensor(Array(input[(rows.lowerBound * per)..<(rows.upperBound * per)]), shape: [rows.count] + shape.dropFirst())
                .requiringGrad()
            let w = Tensor(Array(lossWeights[(rows.lowerBound * per)..<(rows.upperBound * per)]), shape: x.shape)
            let y = norm(x, mode: .train)
            (y * w).sum().backward()
            return [y, x.grad!, norm.weight!.grad!, norm.bias!.grad!, norm.runningMean!, norm.runningVar!]
                .map { $0.detached().array(of: Float.self) }
        }
        let whole = run(0..<4, group: nil)
        let halves = try onTwoRanks { group in run(group.rank == 0 ? 0..<2 : 2..<4, group: group) }
        let tolerance = Float32Tolerance.sums(of: 60, magnitude: 10)
        func expectNear(_ a: [Float], _ b: [Float], _ what: String) {
            #expect(a.count == b.count, "\(what)")
            let worst = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0
            #expect(worst <= tolerance, "\(what): off by \(worst)")
        }
        expectNear(halves[0][0] + halves[1][0], whole[0], "output")
        expectNear(halves[0][1] + halves[1][1], whole[1], "input gradient")
        for (index, name) in [(2, "weight gradient"), (3, "bias gradient")] {
            expectNear(zip(halves[0][index], halves[1][index]).map { $0 + $1 }, whole[index], name)
        }
        for (index, name) in [(4, "running mean"), (5, "running variance")] {
            expectNear(halves[0][index], whole[index], name)
            expectNear(halves[1][index], whole[index], name)
        }
    }

    /// Differently seeded models become rank 0's at `prepare`, and the averaged gradients of two
    /// half batches (mean loss each) are the gradient of the whole batch's mean loss.
    @Test func preparedRanksStartAlikeAndAverageToTheWholeBatchGradient() throws {
        let inputs = values(8 * 3)
        let targets = values(8 * 2, offset: 0)
        @Sendable func model(seed: UInt64) -> (ParameterStore, Linear) {
            let store = ParameterStore(generator: try! Generator(seed: seed))
            return (store, try! Linear(store.root / "fc", inFeatures: 3, outFeatures: 2))
        }
        @Sendable func gradients(_ layer: Linear, rows: Range<Int>) -> [[Float]] {
            let x = Tensor(Array(inputs[(rows.lowerBound * 3)..<(rows.upperBound * 3)]), shape: [rows.count, 3])
            let t = Tensor(Array(targets[(rows.lowerBound * 2)..<(rows.upperBound * 2)]), shape: [rows.count, 2])
            (layer(x) - t).square().mean().backward()
            return [layer.weight.grad!, layer.bias!.grad!].map { $0.array(of: Float.self) }
        }
        let (_, reference) = model(seed: 0)
        let whole = gradients(reference, rows: 0..<8)
        let startWeights = reference.weight.detached().array(of: Float.self)
        let ranks = try onTwoRanks { group -> [[Float]] in
            let (store, layer) = model(seed: UInt64(group.rank) * 7)  // rank 1 starts elsewhere
            let parallel = DataParallel(group: group)
            try parallel.prepare(store, samplesPerRank: 4)
            let start = layer.weight.detached().array(of: Float.self)
            _ = gradients(layer, rows: group.rank == 0 ? 0..<4 : 4..<8)
            try parallel.averageGradients([layer.weight, layer.bias!])
            return [start, layer.weight.grad!.array(of: Float.self), layer.bias!.grad!.array(of: Float.self)]
        }
        let tolerance = Float32Tolerance.sums(of: 8, magnitude: 20)
        for rank in ranks {
            #expect(rank[0] == startWeights)
            for (got, want) in zip(rank[1...], whole) {
                #expect(zip(got, want).allSatisfy { abs($0 - $1) <= Float(tolerance) }, "\(got) vs \(want)")
            }
        }
    }

    /// Shares of 1 and 3 samples, each weighted by its fraction of the batch, average to the
    /// whole batch's gradient (an epoch's last batch splits unevenly).
    @Test func unevenSharesWeighTheirSamplesAlike() throws {
        let inputs = values(4 * 3)
        let targets = values(4 * 2, offset: 0)
        @Sendable func gradient(rows: Range<Int>, group: ProcessGroup?) -> [Float] {
            let store = ParameterStore(generator: try! Generator(seed: 1))
            let layer = try! Linear(store.root / "fc", inFeatures: 3, outFeatures: 2)
            let x = Tensor(Array(inputs[(rows.lowerBound * 3)..<(rows.upperBound * 3)]), shape: [rows.count, 3])
            let t = Tensor(Array(targets[(rows.lowerBound * 2)..<(rows.upperBound * 2)]), shape: [rows.count, 2])
            (layer(x) - t).square().mean().backward()
            try! DataParallel(group: group).averageGradients([layer.weight], share: Double(rows.count) / 4)
            return layer.weight.grad!.array(of: Float.self)
        }
        let whole = gradient(rows: 0..<4, group: nil)
        let ranks = try onTwoRanks { group in gradient(rows: group.rank == 0 ? 0..<1 : 1..<4, group: group) }
        let tolerance = Float(Float32Tolerance.sums(of: 8, magnitude: 20))
        for rank in ranks { #expect(zip(rank, whole).allSatisfy { abs($0 - $1) <= tolerance }, "\(rank) vs \(whole)") }
    }

    /// A small CNN with two synchronised BatchNorms (several allreduces in the forward and the
    /// backward, in one order on every rank): the averaged gradients of two half batches are the
    /// whole batch's, layer for layer.
    @Test func aConvolutionalNetworkWithSynchronisedBatchNormAveragesToTheWholeBatchGradient() throws {
        let input = values(4 * 3 * 2 * 4 * 4)
        @Sendable func gradients(rows: Range<Int>, group: ProcessGroup?) -> [[Float]] {
            let store = ParameterStore(generator: try! Generator(seed: 3))
            let conv1 = try! Conv3d(store.root / "conv1", inChannels: 3, outChannels: 4, kernelSize: 3, padding: 1)
            let norm1 = try! BatchNorm3d(store.root / "bn1", features: 4)
            let conv2 = try! Conv3d(store.root / "conv2", inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1)
            let norm2 = try! BatchNorm3d(store.root / "bn2", features: 4)
            let head = try! Linear(store.root / "fc", inFeatures: 4, outFeatures: 2)
            let parallel = DataParallel(group: group, syncBatchNorm: "on")
            try! parallel.prepare(store, samplesPerRank: rows.count)
            let per = 3 * 2 * 4 * 4
            let x = Tensor(Array(input[(rows.lowerBound * per)..<(rows.upperBound * per)]), shape: [rows.count, 3, 2, 4, 4])
                .contiguous(.channelsLast3d)
            for weight in [conv1.weight, conv2.weight] { withNoGrad { weight.setData(weight.contiguous(.channelsLast3d)) } }
            var h = norm1(conv1(x), mode: .train).relu()
            h = norm2(conv2(h), mode: .train).relu()
            let logits = head(h.mean(dims: [2, 3, 4]))
            let labels = Tensor((rows).map { Int64($0 % 2) })
            logits.crossEntropy(targets: labels).backward()
            let parameters = store.entries.filter { $0.kind == .parameter }.map(\.tensor)
            try! parallel.averageGradients(parameters)
            return parameters.map { $0.grad!.array(of: Float.self) }
        }
        let whole = gradients(rows: 0..<4, group: nil)
        let ranks = try onTwoRanks { group in gradients(rows: group.rank == 0 ? 0..<2 : 2..<4, group: group) }
        for rank in ranks {
            for (index, (got, want)) in zip(rank, whole).enumerated() {
                let scale = want.map(abs).max() ?? 0
                let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= 1e-4 * scale + 1e-7, "parameter \(index): off by \(worst) of \(scale)")
            }
        }
    }

    /// A rank that leaves (its process group closes) makes the other's next collective fail in
    /// seconds, not hang until the timeout.
    @Test func aRankThatLeavesMakesTheOtherFailWithinSeconds() throws {
        let outcomes = try onTwoRanks(timeoutSeconds: 30) { group -> String in
            guard group.rank == 0 else { return "left" }
            let started = Date()
            do {
                try group.allReduceSum([Tensor([Float(1)])])
                return "no error"
            } catch {
                return Date().timeIntervalSince(started) < 10 ? "failed in time: \(error)" : "failed late: \(error)"
            }
        }
        #expect(outcomes[0].hasPrefix("failed in time"), "\(outcomes[0])")
    }
}

/// What needs no process group: torchrun's environment and a rank's share of a batch.
@Suite struct DataParallelSettingsTests {
    @Test func theEnvironmentNamesTheRendezvous() throws {
        #expect(try DistributedEnvironment.rendezvous([:], timeoutSeconds: 5) == nil)
        #expect(try DistributedEnvironment.rendezvous(["WORLD_SIZE": "1"], timeoutSeconds: 5) == nil)
        let torchrun = ["WORLD_SIZE": "4", "RANK": "2", "MASTER_ADDR": "node0", "MASTER_PORT": "29500"]
        #expect(
            try DistributedEnvironment.rendezvous(torchrun, timeoutSeconds: 5)
                == Rendezvous(host: "node0", port: 29500, rank: 2, worldSize: 4, timeoutSeconds: 5))
        var agent = torchrun
        agent["TORCHELASTIC_USE_AGENT_STORE"] = "True"
        agent["TORCHELASTIC_RESTART_COUNT"] = "3"
        let viaAgent = try #require(try DistributedEnvironment.rendezvous(agent, timeoutSeconds: 5))
        #expect(!viaAgent.servesStore && viaAgent.storePrefix == "/worker/attempt_3")
        for (name, broken) in [("RANK", "4"), ("MASTER_PORT", "port"), ("MASTER_ADDR", nil)] as [(String, String?)] {
            var environment = torchrun
            environment[name] = broken
            #expect(throws: TrainingRunError.self, "\(name)=\(broken ?? "unset")") {
                try DistributedEnvironment.rendezvous(environment, timeoutSeconds: 5)
            }
        }
    }

    @Test func eachLaunchedProcessTakesTheGPUOfItsLocalRank() {
        #expect(DistributedEnvironment.device("cuda", environment: ["LOCAL_RANK": "3"]) == "cuda:3")
        #expect(DistributedEnvironment.device("cuda", environment: [:]) == "cuda")
        #expect(DistributedEnvironment.device("cuda:1", environment: ["LOCAL_RANK": "3"]) == "cuda:1")
        #expect(DistributedEnvironment.device("cpu", environment: ["LOCAL_RANK": "3"]) == "cpu")
    }

    @Test func theBackendIsNCCLOnAGPUWhereItExistsAndGlooOtherwise() throws {
        #expect(try DataParallel.backend("auto", device: .cpu, ncclProblem: nil) == .gloo)
        #expect(try DataParallel.backend("auto", device: .cuda(2), ncclProblem: nil) == .nccl(device: 2))
        #expect(try DataParallel.backend("nccl", device: Device(parsing: "cuda")!, ncclProblem: nil) == .nccl(device: 0))
        #expect(try DataParallel.backend("gloo", device: .cuda(1), ncclProblem: nil) == .gloo)
        #expect(try DataParallel.backend("auto", device: .cuda(1), ncclProblem: "not built") == .gloo)
        let error = #expect(throws: TrainingRunError.self) {
            try DataParallel.backend("nccl", device: .cuda(1), ncclProblem: "libkinema_nccl.so was not built")
        }
        #expect(error?.description.contains("libkinema_nccl.so was not built") == true)
    }

    /// On a machine without a GPU (CI), asking for NCCL fails at once with the reason, not a hang
    /// or a crash in libtorch.
    @Test func anNCCLGroupWithoutAGPUSaysWhy() throws {
        try #require(Device.cudaDeviceCount == 0, "a GPU is here: the device check runs NCCL for real")
        let problem = try #require(ProcessGroup.ncclProblem)
        #expect(!problem.isEmpty)
        let port = try DistributedEnvironment.freePort()
        let error = #expect(throws: TorchError.self) {
            try ProcessGroup(
                Rendezvous(host: "127.0.0.1", port: port, rank: 0, worldSize: 1, timeoutSeconds: 10), backend: .nccl(device: 0))
        }
        #expect(error?.code == .load)
        #expect(error?.message.contains("no NCCL process group") == true)
    }

    @Test func eachRankTakesItsConsecutiveShareOfTheBatch() throws {
        #expect(try BatchShard(rank: 1, worldSize: 2).of([10, 11, 12, 13]) == [12, 13])
        #expect(try BatchShard(rank: 0, worldSize: 1).of([1, 2, 3]) == [1, 2, 3])
        // An uneven batch (an epoch's last) is still covered once: shares of 1 and 2.
        #expect(try (0..<2).flatMap { try BatchShard(rank: $0, worldSize: 2).of([1, 2, 3]) } == [1, 2, 3])
        #expect(try BatchShard(rank: 0, worldSize: 2).of([1, 2, 3]) == [1])
        #expect(throws: TrainingRunError.self) { try BatchShard(rank: 2, worldSize: 3).of([1, 2]) }
    }
}
