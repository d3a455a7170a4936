import Foundation
import KinemaFuzzTargets

// One binary for every target, chosen by KINEMA_FUZZ_TARGET. Built with `make fuzz`
// (-DKINEMA_FUZZER, SwiftPM's fuzzer and address sanitizers) it is a libFuzzer program; in an
// ordinary build it replays files: `kinema-fuzz <target> <file>…` (how a finding is reproduced
// without the sanitizers).

#if KINEMA_FUZZER
/// The target and scratch folder of this process, set up on the first input.
nonisolated(unsafe) private var session: (target: FuzzTarget, scratch: URL)?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    if session == nil {
        let name = ProcessInfo.processInfo.environment["KINEMA_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set KINEMA_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        session = (target, makeScratchFolder())
    }
    session!.target.run(Data(bytes: bytes, count: count), scratch: session!.scratch)
    return 0
}
#else
@main
struct KinemaFuzz {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: kinema-fuzz <\(names)> <file>…\n".utf8))
            exit(2)
        }
        let scratch = makeScratchFolder()
        for path in arguments.dropFirst() {
            guard let input = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("\(path): cannot be read\n".utf8))
                exit(1)
            }
            print(path)
            target.run(input, scratch: scratch)
        }
        try? FileManager.default.removeItem(at: scratch)
    }
}
#endif

/// A folder of this process's own for the files the targets write.
private func makeScratchFolder() -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-fuzz-\(getpid())")
    do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
        fatalError("cannot create \(folder.path): \(error)")
    }
    return folder
}
