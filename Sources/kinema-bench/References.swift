import Foundation
import KinemaTensor

/// The two PyTorch processes every interleaved measurement runs against, started once.
final class References {
    static let tcmalloc = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"
    let threads: Int
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
        pytorchDefault = try ReferenceServer(name: "PyTorch default", python: python,
            arguments: ["--threads", "\(threads)", "--layout", "contiguous"], environment: ["LD_PRELOAD": nil])
        pytorchBest = try ReferenceServer(name: "PyTorch best", python: python,
            arguments: ["--threads", "\(threads)", "--layout", "auto"], environment: ["LD_PRELOAD": Self.tcmalloc])
        defaultHello = try pytorchDefault.send("hello")
        bestHello = try pytorchBest.send("hello")
        guard bestHello["allocator"] as? String == "tcmalloc" else {
            throw BenchError("PyTorch best: LD_PRELOAD=\(Self.tcmalloc) did not load tcmalloc")
        }
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
