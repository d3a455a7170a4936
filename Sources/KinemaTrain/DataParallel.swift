import Foundation
import KinemaNN
import KinemaTensor

/// Data parallelism for one training run, as PyTorch's DistributedDataParallel does it: every rank
/// holds the whole model, starts from rank 0's parameters and buffers, computes the gradient of
/// its own share of each global batch, and the gradients are averaged across ranks before every
/// optimizer step, so all ranks take the same step (docs/scaling.md).
///
/// A single process is the world of one: every method is then a no-op, so trainers call them
/// unconditionally. With synchronised BatchNorm the batch statistics are those of the global
/// batch; without it, BatchNorm buffers are broadcast from rank 0 before every step (DDP's
/// `broadcast_buffers`).
public final class DataParallel {
    /// nil in a single process.
    public let group: ProcessGroup?
    public var rank: Int { group?.rank ?? 0 }
    public var worldSize: Int { group?.worldSize ?? 1 }
    /// Rank 0 writes the run folder (checkpoints, metrics, reports); the others only compute.
    public var isWriter: Bool { rank == 0 }
    /// `run.syncBatchNorm`: "auto", "on" or "off".
    public let syncBatchNorm: String
    /// Whether BatchNorm layers normalise with the global batch's statistics (set by
    /// ``prepare(_:samplesPerRank:)``).
    public private(set) var synchronizesBatchNorm = false
    /// Bytes per allreduce of gradients (PyTorch DDP's `bucket_cap_mb` default: 25 MB).
    public let bucketBytes: Int
    /// Below this many samples per rank, "auto" synchronises BatchNorm: the statistics of small
    /// batches are noisy enough to cost accuracy (Wu & He, "Group Normalization", ECCV 2018, Fig. 1:
    /// BatchNorm's error grows as the batch per worker shrinks, steeply below 16).
    public static let smallBatch = 16

    public init(group: ProcessGroup?, syncBatchNorm: String = "auto", bucketBytes: Int = 25 << 20) {
        self.group = group
        self.syncBatchNorm = syncBatchNorm
        self.bucketBytes = bucketBytes
    }

    /// One process, no communication.
    public static var single: DataParallel { DataParallel(group: nil) }

    /// Joins the process group the environment describes (``DistributedEnvironment``), or runs
    /// alone when it describes none; its collectives are ``backend(_:device:)``'s.
    public static func joining(_ settings: RunSettings, device: Device, environment: [String: String]) throws -> DataParallel {
        guard let rendezvous = try DistributedEnvironment.rendezvous(environment, timeoutSeconds: settings.distributedTimeout)
        else { return .single }
        let backend = try backend(settings.distributedBackend, device: device)
        return DataParallel(group: try ProcessGroup(rendezvous, backend: backend), syncBatchNorm: settings.syncBatchNorm)
    }

    /// `run.distributedBackend` on `device`: "auto" is NCCL for a GPU where it is available, as
    /// PyTorch's default for CUDA, and Gloo otherwise (saying so on a GPU, where Gloo copies every
    /// gradient through host memory); "nccl" where it is not available is an error that says why.
    public static func backend(
        _ setting: String, device: Device, ncclProblem: @autoclosure () -> String? = ProcessGroup.ncclProblem
    ) throws -> ProcessGroup.Backend {
        guard device.kind == .cuda, setting != "gloo" else { return .gloo }
        guard let problem = ncclProblem() else { return .nccl(device: max(device.index, 0)) }
        if setting == "nccl" { throw TrainingRunError("run.distributedBackend nccl: \(problem)") }
        FileHandle.standardError.write(
            Data("warning: no NCCL (\(problem)); the ranks reduce through host memory with Gloo\n".utf8))
        return .gloo
    }

    /// This rank's share of every global batch.
    public var shard: BatchShard { BatchShard(rank: rank, worldSize: worldSize) }

    /// Makes every rank start from rank 0's model (parameters and buffers) and decides whether
    /// BatchNorm is synchronised (``syncBatchNorm``; "auto" below ``smallBatch`` samples per rank).
    /// Call once, after the model is built (a resumed run then restores the same checkpoint on
    /// every rank, so they stay alike).
    public func prepare(_ store: ParameterStore, samplesPerRank: Int) throws {
        guard let group else { return }
        synchronizesBatchNorm = syncBatchNorm == "on" || (syncBatchNorm == "auto" && samplesPerRank < Self.smallBatch)
        store.batchNormGroup = synchronizesBatchNorm ? group : nil
        try communicating("sharing rank 0's model") {
            try bucketed(store.entries.map(\.tensor)) { flat in try group.broadcast([flat], from: 0) }
        }
    }

    /// Before a step's forward pass: without synchronised BatchNorm, rank 0's running statistics
    /// replace the others' (each rank's would drift apart on its own batches).
    public func beforeForward(_ store: ParameterStore) throws {
        guard let group, !synchronizesBatchNorm else { return }
        let buffers = store.entries.filter { $0.kind == .buffer }.map(\.tensor)
        guard !buffers.isEmpty else { return }
        try communicating("sharing rank 0's BatchNorm statistics") {
            try bucketed(buffers) { flat in try group.broadcast([flat], from: 0) }
        }
    }

    /// After backward: each gradient becomes its mean over the ranks, bucket by bucket, each
    /// rank's weighted by `share`, its fraction of the global batch (nil: 1 / worldSize, equal
    /// shares), so a batch that splits unevenly (an epoch's last) weighs every sample alike. A
    /// parameter without a gradient on this rank takes part as zeros, so all ranks agree on the
    /// buckets.
    public func averageGradients(_ parameters: [Tensor], share: Double? = nil) throws {
        guard let group else { return }
        let scale = share ?? 1 / Double(worldSize)
        let trainable = parameters.filter(\.requiresGrad)
        for parameter in trainable where parameter.grad == nil { parameter.grad = parameter.zerosLike() }
        try communicating("averaging gradients") {
            try group.throwDeferredFailure()
            try bucketed(trainable.map { $0.grad! }) { flat in
                flat.multiplyInPlace(scale)
                try group.allReduceSum([flat])
            }
        }
    }

    /// The mean over the ranks of per-rank values (losses and accuracies to log).
    public func mean(_ values: [Double]) throws -> [Double] {
        guard let group, !values.isEmpty else { return values }
        let tensor = try Tensor(values).to(group.collectiveDevice)
        try communicating("averaging the logged values") { try group.allReduceSum([tensor]) }
        return try tensor.to(.cpu).array(of: Double.self).map { $0 / Double(worldSize) }
    }

    /// The mean over the ranks of named values (in key order, which every rank shares).
    public func mean(_ values: [String: Double]) throws -> [String: Double] {
        guard worldSize > 1 else { return values }
        let keys = values.keys.sorted()
        return Dictionary(uniqueKeysWithValues: zip(keys, try mean(keys.map { values[$0]! })))
    }

    /// Whether any rank asks to stop (Ctrl-C, SIGTERM): the ranks stop at the same step, or the
    /// others would wait in a collective for one that left.
    public func anyRequests(_ local: Bool) throws -> Bool {
        guard let group else { return local }
        let flag = try Tensor([local ? 1.0 : 0.0]).to(group.collectiveDevice)
        try communicating("checking for a stop request") { try group.allReduceSum([flag]) }
        return try flag.to(.cpu).item(Double.self) > 0
    }

    /// Seconds this rank has spent in collectives (allreduce, broadcast), waiting for the other
    /// ranks included: the part of a step that overlapping communication with the backward pass
    /// (c10d's Reducer) could at best hide.
    public private(set) var communicationSeconds = 0.0

    /// Runs `body`, turning a failed collective into an error that says what it means: another
    /// rank is gone (it failed, was killed or was stopped) or did not answer in time.
    private func communicating(_ what: String, _ body: () throws -> Void) throws {
        let start = Date()
        defer { communicationSeconds += Date().timeIntervalSince(start) }
        do {
            try body()
        } catch let error as TorchError {
            throw TrainingRunError(
                "rank \(rank) of \(worldSize) lost the other processes while \(what): \(error.message)\n"
                    + "another rank failed, was stopped or hung (see its error; `kinema launch` names it); "
                    + "resume from the last checkpoint with --resume")
        }
    }

    /// Runs `collective` on flat copies of `tensors`, at most ``bucketBytes`` each (tensors of one
    /// dtype and device share a bucket), and copies the results back. Flat copies let
    /// channels-last and other non-contiguous tensors take part, and make one message of many
    /// small tensors.
    private func bucketed(_ tensors: [Tensor], _ collective: (Tensor) throws -> Void) throws {
        var bucket: [Tensor] = []
        var bytes = 0
        func flush() throws {
            guard !bucket.isEmpty else { return }
            let flat = withNoGrad { Tensor.cat(bucket.map { $0.detached().reshaped([-1]) }) }
            try collective(flat)
            var offset = 0
            withNoGrad {
                for tensor in bucket {
                    tensor.copyInPlace(from: flat.narrowed(dim: 0, start: offset, length: tensor.count).reshaped(tensor.shape))
                    offset += tensor.count
                }
            }
            bucket.removeAll()
            bytes = 0
        }
        for tensor in tensors {
            let size = tensor.count * tensor.dtype.byteCount
            if let first = bucket.first, first.dtype != tensor.dtype || first.device != tensor.device || bytes + size > bucketBytes {
                try flush()
            }
            bucket.append(tensor)
            bytes += size
        }
        try flush()
    }
}

/// One rank's share of a global batch: consecutive entries, `count / worldSize` of them or one
/// more (rank r starts at ⌊r · count / worldSize⌋), so the shares cover the batch whatever its size.
/// Sample draws are keyed by the global sample index, so the union over ranks is what one process
/// would have drawn, whatever the world size.
public struct BatchShard: Sendable, Equatable {
    public let rank: Int
    public let worldSize: Int

    public init(rank: Int, worldSize: Int) {
        (self.rank, self.worldSize) = (rank, worldSize)
    }

    /// Throws when the batch has fewer entries than there are ranks (a rank would have none).
    public func of<T>(_ items: [T]) throws -> [T] {
        guard worldSize > 1 else { return items }
        guard items.count >= worldSize else {
            throw TrainingRunError(
                "a global batch of \(items.count) cannot be shared by \(worldSize) processes (each needs at least one sample); "
                    + "choose a batch size of at least the number of processes")
        }
        return Array(items[(rank * items.count / worldSize)..<((rank + 1) * items.count / worldSize)])
    }
}
