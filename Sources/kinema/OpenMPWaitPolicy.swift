import Foundation

/// libtorch's OpenMP runtime (libgomp) keeps its idle threads spinning for a while after each
/// parallel region unless `OMP_WAIT_POLICY` says otherwise. Kinema's trainers decode clips and
/// compute targets on loader threads beside the compute thread; on a machine with few cores the
/// spinning threads take the cores the loaders need (MME's motion targets on 2 cores: 0.6 clips/s
/// spinning, 4.3 clips/s passive; docs/benchmarks.md). libgomp reads the policy once, when it is
/// loaded — before `main` — so the only way to set it is in the environment of a fresh process.
enum OpenMPWaitPolicy {
    /// With no `OMP_WAIT_POLICY` in the environment, sets it to PASSIVE and executes this program
    /// again with the same arguments (a user's own setting is kept, and a failed exec just goes on).
    static func makePassiveUnlessSet() {
        guard ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"] == nil else { return }
        setenv("OMP_WAIT_POLICY", "PASSIVE", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
