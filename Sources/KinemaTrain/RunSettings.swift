import KinemaOptim
import KinemaTensor

/// What every training run has, whatever it trains: seed, device, threads, output folder and
/// checkpoint cadence. It is the `run` section of every ``RunConfig`` and what the CLI's shared
/// flags (`--seed`, `--device`, `--threads`, `--output`) set.
public struct RunSettings: ConfigSection, Equatable {
    /// Seed of every random choice of the run: initialisation (libtorch generators) and data
    /// sampling (`SeededGenerator(seed:index:)` per step and sample).
    public var seed: UInt64 = 0
    /// Where to compute: "cpu", "cuda" or "cuda:N".
    public var device = "cpu"
    /// Arithmetic of the forward pass: "fp32"; "bf16" (autocast to bfloat16, on CPU too) or "fp16"
    /// (autocast to float16 with loss scaling), weights kept in float32 (``MixedPrecision``).
    public var precision = "fp32"
    /// "auto" steps the optimizer with libtorch's fused kernels (``Optimizer/fused``) on a GPU and
    /// with the single-tensor arithmetic on the CPU; "on" and "off" choose.
    public var fusedOptimizer = "auto"
    /// Steps between logged training metrics (metrics.jsonl, TensorBoard, the progress line); the
    /// last step is always logged. Reading a loss waits for the device, so a GPU run that logged
    /// every step would stall every step. 0: every step on the CPU, every 25th on a GPU.
    public var logEvery = 0
    /// Intra-op CPU threads (`torch.set_num_threads`); 0 keeps libtorch's default (one per core).
    public var threads = 0
    /// Threads that each make a whole step's data ahead of the trainer, several steps at once
    /// (PyTorch DataLoader's `num_workers`); the trainer still takes the steps in order, so the
    /// data does not depend on this number. Each step's clips are decoded by `data.loaderThreads`
    /// threads where a trainer has that key, so up to `dataWorkers × data.loaderThreads` threads
    /// decode (docs/scaling.md, "Feeding a GPU").
    public var dataWorkers = 1
    /// The run folder: config.yaml, provenance.json, metrics.jsonl, checkpoints/, tensorboard/.
    public var output = "runs/run"
    /// Steps between writes of checkpoints/last.safetensors (it is also written at the end of the
    /// run and when the run is interrupted).
    public var checkpointEvery = 1000
    /// Also keep checkpoints/step-<N>.safetensors every this many steps; 0 keeps only the last.
    public var keepCheckpointEvery = 0
    /// Write TensorBoard event files under tensorboard/.
    public var tensorBoard = true
    /// Data-parallel runs (`kinema launch`, torchrun): "auto" normalises BatchNorm with the global
    /// batch's statistics when each process holds fewer than ``DataParallel/smallBatch`` samples,
    /// "on" always, "off" never (each rank its own batch's, rank 0's running statistics kept).
    public var syncBatchNorm = "auto"
    /// What a step whose loss or gradients are not finite (inf/NaN) does, in fp32 and bf16 (fp16's
    /// loss scaling skips such steps by design, as PyTorch's GradScaler does): "stop" ends the run
    /// at the first logged non-finite loss with the step and a hint, keeping the last checkpoint
    /// (whose weights are checked finite before every write); "skip" leaves out the update of any
    /// step whose gradients hold inf/NaN and counts it (`skipped_steps` in the metrics).
    public var nonFinite = "stop"
    /// The collectives of data-parallel runs (torch.distributed's backend): "auto" is NCCL on GPUs
    /// where it is available (``ProcessGroup/ncclProblem``) and Gloo otherwise; "gloo" or "nccl"
    /// choose (NCCL needs `device: cuda`).
    public var distributedBackend = "auto"
    /// Seconds a data-parallel rank waits for the others (rendezvous, each collective) before it
    /// fails; a rank that exits is noticed at once.
    public var distributedTimeout = 1800.0

    public init() {}

    /// Whether the optimizer steps with fused kernels on `device` (``fusedOptimizer``).
    public func fusesOptimizer(on device: Device) -> Bool {
        fusedOptimizer == "on" || (fusedOptimizer == "auto" && device.kind == .cuda)
    }

    public func validate(_ problems: inout ConfigProblems) {
        problems.check(Device(parsing: device) != nil, "device", "'\(device)' is not cpu, cuda or cuda:N")
        problems.check(Precision(rawValue: precision) != nil, "precision", "must be fp32, bf16 or fp16, got '\(precision)'")
        problems.check(["auto", "on", "off"].contains(fusedOptimizer), "fusedOptimizer", "must be auto, on or off, got '\(fusedOptimizer)'")
        problems.check(logEvery >= 0, "logEvery", "must be ≥ 0 (0: every step on the CPU, every 25th on a GPU), got \(logEvery)")
        problems.check(threads >= 0, "threads", "must be ≥ 0 (0: libtorch's default), got \(threads)")
        problems.check(dataWorkers >= 1, "dataWorkers", "must be ≥ 1, got \(dataWorkers)")
        problems.check(!output.isEmpty, "output", "must name a folder")
        problems.check(checkpointEvery > 0, "checkpointEvery", "must be positive, got \(checkpointEvery)")
        problems.check(["auto", "on", "off"].contains(syncBatchNorm), "syncBatchNorm", "must be auto, on or off, got '\(syncBatchNorm)'")
        problems.check(["stop", "skip"].contains(nonFinite), "nonFinite", "must be stop or skip, got '\(nonFinite)'")
        problems.check(
            ["auto", "gloo", "nccl"].contains(distributedBackend), "distributedBackend",
            "must be auto, gloo or nccl, got '\(distributedBackend)'")
        problems.check(
            distributedBackend != "nccl" || Device(parsing: device)?.kind != .cpu, "distributedBackend",
            "nccl reduces CUDA tensors: it needs device cuda (or distributedBackend gloo on the CPU)")
        problems.check(distributedTimeout > 0 && distributedTimeout.isFinite, "distributedTimeout", "must be a positive number of seconds, got \(distributedTimeout)")
        problems.check(keepCheckpointEvery >= 0, "keepCheckpointEvery", "must be ≥ 0 (0: keep only the last), got \(keepCheckpointEvery)")
    }
}
