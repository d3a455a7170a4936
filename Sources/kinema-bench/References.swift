import Foundation
import KinemaTensor

/// The two PyTorch processes every interleaved measurement runs against, started once.
final class References {
    static let tcmalloc = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"
    let threads: Int
    let python: String
    /// PyTorch as users run it: glibc's malloc (LD_PRELOAD removed), contiguous layout.
    let pytorchDefault: ReferenceServer
    /// PyTorch at its best here: tcmalloc preloaded, the faster layout per case.
    let pytorchBest: ReferenceServer
    private let defaultHello: [String: Any]
    private let bestHello: [String: Any]

    init(python: String, threads: Int) throws {
        guard FileManager.default.fileExists(atPath: python) else {
            throw BenchError("no Python reference at \(python) (`make bench` installs it into .deps/pyref; or pass --python)")
        }
        guard FileManager.default.fileExists(atPath: Self.tcmalloc) else {
            throw BenchError("\(Self.tcmalloc) is missing (Debian's libtcmalloc-minimal4; `make setup` installs it)")
        }
        self.threads = threads
        self.python = python
        pytorchDefault = try Self.server(best: false, python: python, threads: threads, layout: "contiguous")
        pytorchBest = try Self.server(best: true, python: python, threads: threads, layout: "auto")
        defaultHello = try pytorchDefault.send("hello")
        bestHello = try pytorchBest.send("hello")
        guard bestHello["allocator"] as? String == "tcmalloc" else {
            throw BenchError("PyTorch best: LD_PRELOAD=\(Self.tcmalloc) did not load tcmalloc")
        }
    }

    /// A reference process started as PyTorch default (`best` false: glibc) or best (tcmalloc
    /// preloaded), in `layout` (contiguous, channels_last or auto).
    private static func server(best: Bool, python: String, threads: Int, layout: String) throws -> ReferenceServer {
        try ReferenceServer(name: best ? "PyTorch best" : "PyTorch default", python: python,
            arguments: ["--threads", "\(threads)", "--layout", layout], environment: ["LD_PRELOAD": best ? Self.tcmalloc : nil])
    }

    /// A new reference process like ``pytorchDefault`` or ``pytorchBest`` but with a fixed
    /// `layout`, for a measurement that needs a fresh process (peak memory).
    func freshServer(best: Bool, layout: String) throws -> ReferenceServer {
        try Self.server(best: best, python: python, threads: threads, layout: layout)
    }

    /// Builds and warms up a case in one reference; its reply, checked to run on `threads` threads.
    func setUp(_ c: StepCase, on server: ReferenceServer) throws -> [String: Any] {
        let reply = try server.send(c.referenceCommand)
        let used = try reply.number("threads", from: server.name)
        guard Int(used) == threads else {
            throw BenchError("\(server.name) ran \(c.label) on \(Int(used)) threads, not \(threads): the comparison would not be like with like")
        }
        return reply
    }

    var kinemaDescription: String {
        "Kinema, libtorch \(Engine.runtimeTorchVersion), \(Engine.threadCount) threads, \(Self.allocator()) (linked), channels_last_3d for the CNNs"
    }
    var defaultDescription: String { Self.describe(defaultHello, layout: "contiguous NCDHW") }
    var bestDescription: String { Self.describe(bestHello, layout: "faster layout per case") + " (LD_PRELOAD)" }

    private static func describe(_ hello: [String: Any], layout: String) -> String {
        "torch \(hello["torch"] ?? "?"), \(hello["threads"] ?? "?") threads, \(hello["allocator"] ?? "?"), \(layout)"
    }

    /// tcmalloc when this process has it mapped (Kinema's shim links it), else glibc.
    static func allocator() -> String {
        // /proc files report size 0, so read them to the end rather than by their size.
        let maps = FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data()
        return String(decoding: maps, as: UTF8.self).contains("libtcmalloc") ? "tcmalloc" : "glibc"
    }
}
