import ArgumentParser
import Foundation
import KinemaTrain

#if canImport(Glibc)
import Glibc
#endif

/// `kinema launch`: torchrun's job for users without it — starts one process per rank with the
/// `env://` variables set, forwards Ctrl-C and SIGTERM once to each, and stops the rest when one
/// fails.
struct Launch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Train on several processes (and machines) at once: data parallelism over Gloo (NCCL on GPUs), as torchrun does it.",
        discussion: """
            Runs COMMAND (any training command: mosi pretrain, videomae pretrain, mme pretrain, cgm pretrain, \
            finetune) as --nproc-per-node processes on this machine. Each process gets torch.distributed's \
            environment (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE) and joins \
            the others through a TCPStore on rank 0. The config's batch size stays the global one: each \
            process trains on its share of every batch, drawn as one process would draw it, and the \
            gradients are averaged, so the run trains as one process on the whole batch would. Only rank 0 \
            writes the run folder and prints progress.

            On one machine the port is a free one unless given. On several machines, start the same command \
            on each with its --node-rank, --nnodes and the address of node 0 (every machine must reach it on \
            --master-port). OMP_NUM_THREADS defaults to the cores divided by the processes. torchrun \
            (`torchrun --no-python --nproc-per-node 2 kinema mosi pretrain …`) and SLURM's srun work too: \
            see docs/scaling.md.

            Ctrl-C (or SIGTERM to this process) asks every rank to stop after the same step; rank 0 saves the \
            checkpoint, and `--resume` continues, with this or another number of processes. If a rank fails, \
            the others are stopped and this command exits with the failed rank's status.

            Examples:
              kinema launch --nproc-per-node 2 mosi pretrain --config configs/mosi/tiny_cpu.yaml --output runs/mosi-2p
              kinema launch --nproc-per-node 4 --nnodes 2 --node-rank 0 --master-addr 10.0.0.1 --master-port 29500 \\
                  videomae pretrain --config configs/videomae/k400_vit_b.yaml
            """)

    @Option(name: .customLong("nproc-per-node"), help: "Processes on this machine (one per GPU, or a few per CPU).")
    var nprocPerNode: Int

    @Option(help: "Machines taking part.")
    var nnodes = 1

    @Option(help: "This machine's number, 0 ..< nnodes (node 0 runs the store).")
    var nodeRank = 0

    @Option(help: "Address of node 0, which every process reaches.")
    var masterAddr = "127.0.0.1"

    @Option(help: "Port of the store on node 0 (default: a free port on one machine, 29500 on several).")
    var masterPort: Int?

    @Option(help: ArgumentHelp("Seconds the others get to stop after one rank fails, before they are killed.", valueName: "seconds"))
    var grace = 30.0

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The kinema command to run on every rank, with its options.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        guard nprocPerNode >= 1 else { throw ValidationError("--nproc-per-node must be at least 1, got \(nprocPerNode)") }
        guard nnodes >= 1 else { throw ValidationError("--nnodes must be at least 1, got \(nnodes)") }
        guard (0..<nnodes).contains(nodeRank) else { throw ValidationError("--node-rank must be in 0..<\(nnodes), got \(nodeRank)") }
        if let masterPort, !(1...65535).contains(masterPort) { throw ValidationError("--master-port must be in 1...65535, got \(masterPort)") }
        guard grace >= 0, grace.isFinite else { throw ValidationError("--grace must be a number of seconds ≥ 0") }
        guard let first = command.first else { throw ValidationError("name the command to run, e.g. `kinema launch --nproc-per-node 2 mosi pretrain …`") }
        guard first != "launch" else { throw ValidationError("the command to launch cannot be launch itself") }
    }

    func run() throws {
        let port = try masterPort ?? (nnodes == 1 ? DistributedEnvironment.freePort() : 29500)
        let worldSize = nprocPerNode * nnodes
        var environment = ProcessInfo.processInfo.environment
        environment["MASTER_ADDR"] = masterAddr
        environment["MASTER_PORT"] = String(port)
        environment["WORLD_SIZE"] = String(worldSize)
        environment["LOCAL_WORLD_SIZE"] = String(nprocPerNode)
        environment["GROUP_RANK"] = String(nodeRank)
        if environment["OMP_NUM_THREADS"] == nil {
            // As torchrun: processes sharing a machine share its cores, or they oversubscribe them.
            environment["OMP_NUM_THREADS"] = String(max(1, ProcessInfo.processInfo.activeProcessorCount / nprocPerNode))
        }
        let ranks = (0..<nprocPerNode).map { local in
            var rankEnvironment = environment
            rankEnvironment["RANK"] = String(nodeRank * nprocPerNode + local)
            rankEnvironment["LOCAL_RANK"] = String(local)
            return rankEnvironment
        }
        if nodeRank == 0 {
            writeError("launch: \(worldSize) processes (\(nprocPerNode) here), store at \(masterAddr):\(port)\n")
        }
        let processes = try LaunchedProcesses(command: command, environments: ranks, firstRank: nodeRank * nprocPerNode)
        let failure = processes.wait(grace: grace)
        if let failure {
            writeError("launch: rank \(failure.rank) \(failure.description); the other ranks were stopped\n")
            throw ExitCode(failure.status)
        }
    }
}
