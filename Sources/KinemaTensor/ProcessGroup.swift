internal import CKinemaTorch

/// The processes that train one model together: torch.distributed's process group, on libtorch's
/// own c10d (a `TCPStore` rendezvous and the Gloo or NCCL backend), so Kinema ranks meet the way
/// PyTorch ranks do and need no protocol of their own.
///
/// Every rank makes the same calls in the same order; a collective waits for all ranks. When a
/// rank dies, its peers' next collective fails with a ``TorchError`` (Gloo sees the closed
/// connection at once; a rank that hangs is given up on after ``Rendezvous/timeoutSeconds``).
///
/// ```swift
/// let group = try ProcessGroup(Rendezvous(host: "127.0.0.1", port: 29500, rank: r, worldSize: 2))
/// try group.broadcast(parameters, from: 0)      // same start on every rank
/// try group.allReduceSum([flatGradients])        // Σ over ranks, in place
/// ```
public final class ProcessGroup {
    /// The library that carries the collectives, as `torch.distributed.init_process_group(backend:)`.
    public enum Backend: Sendable, Equatable, CustomStringConvertible {
        /// Gloo: tensors on any device (CUDA ones through host memory).
        case gloo
        /// NCCL: CUDA tensors on this rank's GPU, GPU to GPU (``ncclProblem`` says whether it is
        /// available here).
        case nccl(device: Int)

        public var description: String {
            switch self {
            case .gloo: "gloo"
            case .nccl(let device): "nccl (cuda:\(device))"
            }
        }
    }

    let handle: OpaquePointer
    public let rank: Int
    public let worldSize: Int
    public let backend: Backend
    /// Where the tensors of a collective must be: the CPU for Gloo, the rank's GPU for NCCL.
    public var collectiveDevice: Device {
        switch backend {
        case .gloo: .cpu
        case .nccl(let device): .cuda(device)
        }
    }

    /// Joins the group; blocks until all ``Rendezvous/worldSize`` ranks have joined or the timeout
    /// passes.
    public init(_ rendezvous: Rendezvous, backend: Backend = .gloo) throws(TorchError) {
        var out: OpaquePointer?
        let (name, device): (String, Int) =
            switch backend {
            case .gloo: ("gloo", -1)
            case .nccl(let device): ("nccl", device)
            }
        try check(
            kt_process_group_new(
                rendezvous.host, Int32(rendezvous.port), Int32(rendezvous.rank), Int32(rendezvous.worldSize),
                rendezvous.servesStore, rendezvous.storePrefix, Int64((rendezvous.timeoutSeconds * 1000).rounded(.up)),
                rendezvous.interface, name, Int32(device), &out),
            "ProcessGroup(\(backend), rank \(rendezvous.rank) of \(rendezvous.worldSize) at \(rendezvous.host):\(rendezvous.port))")
        handle = try owned(out, "ProcessGroup")
        rank = rendezvous.rank
        worldSize = rendezvous.worldSize
        self.backend = backend
    }

    /// nil when an NCCL group can be made in this process (CUDA loaded, libkinema_nccl.so built
    /// beside the torch shim by `make shims` on a GPU machine); otherwise why not.
    public static var ncclProblem: String? {
        if let problem = Engine.cudaLoadProblem { return "CUDA is not loaded: \(problem)" }
        var out: UnsafeMutablePointer<CChar>?
        guard kt_nccl_problem(&out) == 0 else {
            return lastTorchError(status: -1, op: "ProcessGroup.ncclProblem").message
        }
        guard let out else { return nil }
        defer { kt_string_free(out) }
        return String(cString: out)
    }

    deinit { kt_process_group_free(handle) }

    /// Each tensor (contiguous, on ``collectiveDevice`` for NCCL, on any device for Gloo) becomes its
    /// sum over the ranks, in place.
    public func allReduceSum(_ tensors: [Tensor]) throws(TorchError) {
        let handles: [OpaquePointer?] = tensors.map(\.handle)
        try check(kt_process_group_allreduce_sum(handle, handles, Int64(handles.count)), "ProcessGroup.allReduceSum")
    }

    /// Each tensor (contiguous) becomes rank `root`'s, in place; not recorded by autograd, so
    /// parameters that require gradients can be overwritten.
    public func broadcast(_ tensors: [Tensor], from root: Int = 0) throws(TorchError) {
        let handles: [OpaquePointer?] = tensors.map(\.handle)
        try check(
            kt_process_group_broadcast(handle, handles, Int64(handles.count), Int32(root)), "ProcessGroup.broadcast")
    }

    /// The sum of `input` over the ranks as a new tensor that autograd differentiates: its
    /// gradient is the sum of the ranks' gradients (synchronised BatchNorm's statistics). Every rank
    /// must run the same backward, and this group must outlive the graph.
    ///
    /// Models cannot throw mid-forward, so a collective that fails here (or in the backward)
    /// goes on with the local value and keeps the failure for ``throwDeferredFailure()``, which
    /// the trainer calls before the optimizer step.
    public func allReduceSumDifferentiable(_ input: Tensor) throws(TorchError) -> Tensor {
        var out: OpaquePointer?
        try check(
            kt_process_group_allreduce_sum_differentiable(handle, input.handle, &out),
            "ProcessGroup.allReduceSumDifferentiable")
        return Tensor(owning: try owned(out, "ProcessGroup.allReduceSumDifferentiable"))
    }

    /// Throws the first collective failure that ``allReduceSumDifferentiable(_:)`` deferred, if
    /// any (then forgets it).
    public func throwDeferredFailure() throws(TorchError) {
        var out: UnsafeMutablePointer<CChar>?
        try check(kt_process_group_take_deferred_failure(handle, &out), "ProcessGroup.throwDeferredFailure")
        guard let out else { return }
        defer { kt_string_free(out) }
        throw TorchError(code: .distributed, op: "ProcessGroup.allReduceSumDifferentiable", message: String(cString: out))
    }

    /// Returns when every rank has called it.
    public func barrier() throws(TorchError) {
        try check(kt_process_group_barrier(handle), "ProcessGroup.barrier")
    }
}

@available(*, unavailable)
extension ProcessGroup: @unchecked Sendable {}

/// Where and how the ranks of a ``ProcessGroup`` meet: torch.distributed's `env://` rendezvous
/// (`MASTER_ADDR`, `MASTER_PORT`, `RANK`, `WORLD_SIZE`).
public struct Rendezvous: Sendable, Equatable {
    /// The store's host (`MASTER_ADDR`).
    public var host: String
    /// The store's port (`MASTER_PORT`).
    public var port: Int
    public var rank: Int
    public var worldSize: Int
    /// Whether this process runs the store: rank 0, unless a launcher's agent serves it
    /// (torchrun's `TORCHELASTIC_USE_AGENT_STORE`).
    public var servesStore: Bool
    /// Scopes the store's keys ("" for none); torchrun's agent store uses `/worker/attempt_N`.
    public var storePrefix: String
    /// How long the rendezvous and each collective may wait for the other ranks.
    public var timeoutSeconds: Double
    /// The network interface Gloo binds (`GLOO_SOCKET_IFNAME`); "" binds the address the host
    /// name resolves to, as PyTorch does.
    public var interface: String

    public init(
        host: String, port: Int, rank: Int, worldSize: Int, servesStore: Bool? = nil, storePrefix: String = "",
        timeoutSeconds: Double = 1800, interface: String = ""
    ) {
        self.host = host
        self.port = port
        self.rank = rank
        self.worldSize = worldSize
        self.servesStore = servesStore ?? (rank == 0)
        self.storePrefix = storePrefix
        self.timeoutSeconds = timeoutSeconds
        self.interface = interface
    }
}
