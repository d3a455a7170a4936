import ArgumentParser
import Foundation
import KinemaTensor
import KinemaVideo

/// `kinema info`: the engines and devices this build runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show Kinema's version, the libtorch and OpenCV versions, the devices and the thread count.",
        discussion: """
            CUDA is probed, never required. On a machine with an NVIDIA GPU, `make setup` gathers \
            libtorch's CUDA library and the NVIDIA libraries of the same torch 2.11.0 build in \
            .deps/libtorch/cuda; KINEMA_TORCH_CUDA=/path/to/libtorch_cuda.so points elsewhere \
            (docs/scaling.md, "One GPU"). --cuda prints why CUDA could not be loaded, and whether \
            data-parallel runs on GPUs can use NCCL (else Gloo).
            """)

    @Flag(help: "Also say where CUDA was looked for, why it could not be loaded, and whether NCCL can be used.")
    var cuda = false

    func run() {
        print("kinema     \(Kinema.version)")
        print("libtorch   \(Engine.runtimeTorchVersion) (shim built against \(Engine.compiledTorchVersion))")
        print("OpenCV     \(OpenCV.version)")
        print("threads    \(Engine.threadCount) (OMP_WAIT_POLICY \(ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"] ?? "unset"))")
        print("devices    \(Device.available.map(\.description).joined(separator: ", "))")
        if cuda {
            if let problem = Engine.cudaLoadProblem {
                print("CUDA       not loaded:\n" + problem.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
            } else {
                print("CUDA       libtorch_cuda loaded, \(Device.cudaDeviceCount) device(s)")
            }
            print("NCCL       " + (ProcessGroup.ncclProblem.map { "not available: \($0)" } ?? "available"))
        }
    }
}
