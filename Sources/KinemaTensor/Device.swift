internal import CKinemaTorch

/// Where a tensor's memory lives. CPU always exists; CUDA exists when a CUDA-enabled libtorch is
/// found at run time (see ``Device/cudaDeviceCount``) — it is probed, never required.
public struct Device: Hashable, Sendable, CustomStringConvertible, Codable {
    public enum Kind: Int32, Sendable, Codable {
        case cpu = 0  // c10::DeviceType::CPU
        case cuda = 1  // c10::DeviceType::CUDA
        /// A device type libtorch has and Kinema does not model (meta, MPS, XLA, …).
        case unsupported = -1
    }

    public let kind: Kind
    /// The device ordinal; -1 means "the current device" (CPU always reports -1).
    public let index: Int

    public init(_ kind: Kind, index: Int = -1) {
        self.kind = kind
        self.index = kind == .cpu ? -1 : index
    }

    public static let cpu = Device(.cpu)
    public static func cuda(_ index: Int = 0) -> Device { Device(.cuda, index: index) }

    /// Parses "cpu", "cuda" or "cuda:N" (PyTorch's spelling).
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: ":", omittingEmptySubsequences: false)
        switch (parts.first, parts.count) {
        case ("cpu", 1): self = .cpu
        case ("cuda", 1): self = .cuda(0)
        case ("cuda", 2):
            guard let i = Int(parts[1]), i >= 0 else { return nil }
            self = .cuda(i)
        default: return nil
        }
    }

    public var description: String {
        switch kind {
        case .cpu: "cpu"
        case .cuda: index >= 0 ? "cuda:\(index)" : "cuda"
        case .unsupported: "unsupported device"
        }
    }

    /// Number of CUDA devices usable by this process (0 on a machine without CUDA). The first
    /// call tries to load libtorch's CUDA library (see ``Engine/loadCUDA()``).
    public static var cudaDeviceCount: Int { Engine.cudaDeviceCount }

    /// CPU, then every CUDA device that is present.
    public static var available: [Device] {
        [.cpu] + (0..<cudaDeviceCount).map { .cuda($0) }
    }
}
