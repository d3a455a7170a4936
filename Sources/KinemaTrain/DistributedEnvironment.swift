import KinemaTensor

#if canImport(Glibc)
import Glibc
#endif

/// The rendezvous that launchers describe in the environment, as PyTorch's `env://` reads it:
/// `kinema launch`, `torchrun` and SLURM scripts set `MASTER_ADDR`, `MASTER_PORT`, `RANK`,
/// `WORLD_SIZE` (and `LOCAL_RANK`). torchrun's agent may serve the store itself
/// (`TORCHELASTIC_USE_AGENT_STORE=True`): every rank is then a client, under the key prefix
/// `/worker/attempt_<TORCHELASTIC_RESTART_COUNT>`, as PyTorch's own rendezvous does.
/// `GLOO_SOCKET_IFNAME` picks the network interface.
public enum DistributedEnvironment {
    /// nil when the process runs alone (no `WORLD_SIZE`, or 1).
    public static func rendezvous(_ environment: [String: String], timeoutSeconds: Double) throws -> Rendezvous? {
        guard let worldText = environment["WORLD_SIZE"] else { return nil }
        func integer(_ name: String, _ text: String?, minimum: Int) throws -> Int {
            guard let text else { throw TrainingRunError("WORLD_SIZE is set, so \(name) must be too (set by kinema launch or torchrun)") }
            guard let value = Int(text), value >= minimum else {
                throw TrainingRunError("\(name)=\(text) in the environment is not an integer ≥ \(minimum)")
            }
            return value
        }
        let worldSize = try integer("WORLD_SIZE", worldText, minimum: 1)
        guard worldSize > 1 else { return nil }
        let rank = try integer("RANK", environment["RANK"], minimum: 0)
        guard rank < worldSize else { throw TrainingRunError("RANK=\(rank) is not below WORLD_SIZE=\(worldSize)") }
        guard let host = environment["MASTER_ADDR"], !host.isEmpty else {
            throw TrainingRunError("WORLD_SIZE=\(worldSize) but MASTER_ADDR is not set: the host of rank 0's store")
        }
        let port = try integer("MASTER_PORT", environment["MASTER_PORT"], minimum: 1)
        guard port < 65536 else { throw TrainingRunError("MASTER_PORT=\(port) is not a port (1…65535)") }
        let agentStore = environment["TORCHELASTIC_USE_AGENT_STORE"]?.lowercased() == "true"
        return Rendezvous(
            host: host, port: port, rank: rank, worldSize: worldSize, servesStore: agentStore ? false : rank == 0,
            storePrefix: agentStore ? "/worker/attempt_\(environment["TORCHELASTIC_RESTART_COUNT"] ?? "0")" : "",
            timeoutSeconds: timeoutSeconds, interface: environment["GLOO_SOCKET_IFNAME"] ?? "")
    }

    /// The device a process computes on: `cuda` without an index, in a process a launcher started
    /// (`LOCAL_RANK` set), is `cuda:LOCAL_RANK` — one GPU per process, as PyTorch DDP scripts do with
    /// `torch.cuda.set_device(local_rank)`; any other setting is taken as written.
    public static func device(_ setting: String, environment: [String: String]) -> String {
        guard setting.lowercased() == "cuda", let local = environment["LOCAL_RANK"].flatMap(Int.init), local >= 0 else { return setting }
        return "cuda:\(local)"
    }

    /// Whether this process is rank 0 of its run, or runs alone: the one that writes the run
    /// folder (reports too).
    public static func isRankZero(_ environment: [String: String]) -> Bool {
        (environment["RANK"].flatMap(Int.init) ?? 0) == 0
    }

    /// A TCP port that was free a moment ago on the loopback interface (the kernel's choice).
    public static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw TrainingRunError("cannot open a socket to find a free port (errno \(errno))") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socketFD, raw, length) == 0 && getsockname(socketFD, raw, &length) == 0
            }
        }
        guard bound else { throw TrainingRunError("cannot find a free port (errno \(errno)); give --master-port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
