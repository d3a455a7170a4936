internal import CKinemaTorch

#if canImport(Glibc)
import Glibc
#endif

/// Engine-wide settings of libtorch, made explicit so runs and tests can pin them.
public enum Engine {
    /// The libtorch version Kinema's shim was compiled against.
    public static var compiledTorchVersion: String { String(cString: kt_torch_version()) }
    /// The libtorch version loaded at run time.
    public static var runtimeTorchVersion: String { String(cString: kt_torch_runtime_version()) }

    /// Fails with a message naming the fix when the libtorch loaded at run time is not the one
    /// the shim was built against (e.g. LD_LIBRARY_PATH points at another PyTorch).
    public static func checkVersions() throws(TorchError) {
        try checkVersions(compiled: compiledTorchVersion, runtime: runtimeTorchVersion)
    }

    /// ``checkVersions()`` on given version strings.
    package static func checkVersions(compiled: String, runtime: String) throws(TorchError) {
        // Runtime strings may carry a local suffix ("2.11.0+cu130"); compare the release.
        let release = runtime.split(separator: "+").first.map(String.init) ?? runtime
        if release != compiled && runtime != "unknown" {
            throw TorchError(
                code: .load, op: "Engine.checkVersions",
                message: "the shim was built against libtorch \(compiled) but \(runtime) is loaded; "
                    + "run `make setup` and rebuild, or unset LD_LIBRARY_PATH")
        }
    }

    /// Intra-op threads (torch.set_num_threads).
    public static var threadCount: Int {
        get {
            var n: Int32 = 0
            _ = kt_get_num_threads(&n)
            return Int(n)
        }
        set { orTrap { try check(kt_set_num_threads(Int32(newValue)), "Engine.threadCount") } }
    }

    /// Seeds libtorch's default generators (torch.manual_seed).
    public static func seed(_ seed: UInt64, file: StaticString = #fileID, line: UInt = #line) {
        orTrap(file: file, line: line) { try check(kt_manual_seed(seed), "Engine.seed") }
    }

    /// torch.use_deterministic_algorithms.
    public static func setDeterministic(_ enabled: Bool, file: StaticString = #fileID, line: UInt = #line) {
        orTrap(file: file, line: line) { try check(kt_set_deterministic(enabled), "Engine.setDeterministic") }
    }

    /// TF32 matmul/conv on Ampere+ GPUs; off for parity tests.
    public static func setAllowTF32(_ enabled: Bool, file: StaticString = #fileID, line: UInt = #line) {
        orTrap(file: file, line: line) { try check(kt_set_allow_tf32(enabled), "Engine.setAllowTF32") }
    }

    /// Whether libtorch may use oneDNN (mkldnn) CPU kernels (torch.backends.mkldnn.enabled).
    /// `KINEMA_ONEDNN=0` in the environment turns them off for the whole process at start-up.
    public static var isOneDNNEnabled: Bool {
        get {
            var enabled = true
            _ = kt_get_onednn_enabled(&enabled)
            return enabled
        }
        set { orTrap { try check(kt_set_onednn_enabled(newValue), "Engine.isOneDNNEnabled") } }
    }

    /// Whether autograd records operations on this thread.
    public static var isGradEnabled: Bool { kt_is_grad_enabled() }

    // MARK: CUDA

    /// Loads libtorch's CUDA library so CUDA devices become usable. Looks, in order, at
    /// `KINEMA_TORCH_CUDA` (a path to libtorch_cuda.so), at the `cuda` folder beside libtorch's
    /// `lib` that `make setup` fills on a machine with an NVIDIA GPU, and on the library search
    /// path (LD_LIBRARY_PATH naming a PyTorch install's torch/lib). Returns false when none could
    /// be loaded (a CPU-only machine): CUDA is probed, never required; ``cudaLoadProblem`` says why.
    @discardableResult
    public static func loadCUDA() -> Bool { cudaLoadProblem == nil }

    /// Why libtorch's CUDA library could not be loaded (each place tried), or nil when it was.
    public static let cudaLoadProblem: String? = {
        var candidates: [String] = []
        if let path = getenv("KINEMA_TORCH_CUDA") { candidates.append(String(cString: path)) }
        var folder: UnsafeMutablePointer<CChar>?
        if kt_torch_library_dir(&folder) == 0, let folder {
            candidates.append(String(cString: folder) + "/../cuda/libtorch_cuda.so")
            kt_string_free(folder)
        }
        candidates.append("libtorch_cuda.so")
        var problems: [String] = []
        for path in candidates {
            if kt_cuda_load(path) == 0 { return nil }
            problems.append(String(cString: kt_last_error_message()))
        }
        kt_clear_last_error()
        return problems.joined(separator: "\n")
    }()

    static var cudaDeviceCount: Int {
        guard loadCUDA() else { return 0 }
        var n: Int32 = 0
        guard kt_cuda_device_count(&n) == 0 else {
            kt_clear_last_error()
            return 0
        }
        return Int(n)
    }

    /// Waits for all work queued on a CUDA device (for timing).
    public static func synchronize(_ device: Device, file: StaticString = #fileID, line: UInt = #line) {
        guard device.kind == .cuda else { return }
        orTrap(file: file, line: line) { try check(kt_cuda_synchronize(Int32(max(device.index, 0))), "synchronize") }
    }
}
