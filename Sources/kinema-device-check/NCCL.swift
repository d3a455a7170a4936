import ArgumentParser
import Foundation
import KinemaTensor

/// One rank of an NCCL process group on one GPU: several ranks need several GPUs, which a lent
/// device machine does not have, so this checks what one can — that libkinema_nccl.so loads
/// against the machine's libtorch_cuda, the group forms, and its collectives give the right values.
struct NCCL: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A one-rank NCCL process group on a GPU: allreduce, broadcast and barrier, and the time of a 25 MB allreduce.")

    @Option(help: "cuda or cuda:N.") var device = "cuda"
    @Option(help: "The TCPStore's port on 127.0.0.1.") var port = 29577

    func run() throws {
        let device = try usableDevice(device)
        guard device.kind == .cuda else { throw ValidationError("NCCL reduces CUDA tensors: --device must be cuda or cuda:N") }
        if let problem = ProcessGroup.ncclProblem {
            report(["check": "nccl", "device": device.description, "passed": false, "problem": problem])
            throw ExitCode(1)
        }
        let group = try ProcessGroup(
            Rendezvous(host: "127.0.0.1", port: port, rank: 0, worldSize: 1, timeoutSeconds: 60),
            backend: .nccl(device: max(device.index, 0)))
        let values = try Tensor([1.5, -2, 3]).to(device)
        try group.allReduceSum([values])
        try group.broadcast([values], from: 0)
        try group.barrier()
        let after = try values.to(.cpu).array(of: Double.self)
        // A bucket of PyTorch DDP's default size (25 MB of float32), the unit of gradient averaging.
        let bucket = Tensor.ones([25 << 18], device: device)
        try group.allReduceSum([bucket])
        Engine.synchronize(device)
        let start = Date()
        for _ in 0..<10 { try group.allReduceSum([bucket]) }
        Engine.synchronize(device)
        let milliseconds = Date().timeIntervalSince(start) * 100
        let passed = after == [1.5, -2, 3]
        report(["check": "nccl", "device": device.description, "ranks": 1, "passed": passed, "values": after,
                "allreduce_25mb_ms": milliseconds])
        if !passed { throw ExitCode(1) }
    }
}
