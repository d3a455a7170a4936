import ArgumentParser
import Foundation
import KinemaTensor
import KinemaVideo

/// `kinema info`: the engines and devices this build runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show Kinema's version, the libtorch and OpenCV versions, the devices and the thread count.",
        discussion: """
            CUDA is probed, never required: set KINEMA_TORCH_CUDA to a libtorch_cuda.so of the same \
            libtorch version (2.11.0) to use a GPU.
            """)

    func run() {
        print("kinema     \(Kinema.version)")
        print("libtorch   \(Engine.runtimeTorchVersion) (shim built against \(Engine.compiledTorchVersion))")
        print("OpenCV     \(OpenCV.version)")
        print("threads    \(Engine.threadCount) (OMP_WAIT_POLICY \(ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"] ?? "unset"))")
        print("devices    \(Device.available.map(\.description).joined(separator: ", "))")
    }
}
