// The MoSI label pool (Huang et al., CVPR 2021, §3.1, Eq. 1): speeds S = {−K, …, −1, 0, 1, …, K} per
// axis; a label is one (x, y) speed pair. Label indices follow the official generator
// (TAdaConv `MoSIGenerator.initialize_speed_set`, docs/reference-implementations.md §1.2) so that checkpoints and
// confusion matrices line up with the released code.

/// A pseudo-camera speed: window steps per axis in units of `(Ls − L) / K` over the clip (Eq. 2).
/// Positive x moves the window right (content moves left), positive y moves it down.
public struct MoSISpeed: Sendable, Hashable, CustomStringConvertible {
    public let x: Int
    public let y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public static let still = MoSISpeed(x: 0, y: 0)

    /// The motion a horizontally mirrored clip shows.
    public var mirrored: MoSISpeed { MoSISpeed(x: -x, y: y) }

    public var description: String { "(\(x), \(y))" }
}

/// The classes a MoSI model predicts, in label order.
public struct MoSILabelPool: Sendable, Equatable {
    /// Which motions the pool holds.
    public enum Motions: String, Sendable, Equatable, Codable, CaseIterable {
        /// Horizontal speeds only: 2K + 1 classes (MoSI-x in the paper's Fig. 6).
        case horizontal
        /// Vertical speeds only: 2K + 1 classes (MoSI-y).
        case vertical
        /// Both axes, one of them still (the paper's default, `DECOUPLE: true`): 4K + 1 classes.
        case decoupled
        /// Every (x, y) pair (`DECOUPLE: false`): (2K + 1)² classes.
        case coupled
    }

    /// K: speeds per direction (the official `VIDEO.HEAD.NUM_CLASSES` is 2K + 1; default K = 2).
    public let speedsPerDirection: Int
    public let motions: Motions
    /// Label i's speed.
    public let speeds: [MoSISpeed]

    /// Throws when K < 1.
    public init(speedsPerDirection k: Int = 2, motions: Motions = .decoupled) throws(MoSIError) {
        guard k >= 1 else {
            throw MoSIError("speedsPerDirection (K) must be at least 1, got \(k) (the paper uses K = 2: 9 classes)")
        }
        speedsPerDirection = k
        self.motions = motions
        speeds = Self.speeds(k: k, motions: motions)
    }

    /// C_T, the number of classes (clips per source image in the same-batch layout).
    public var count: Int { speeds.count }

    /// The label of `speed`, nil when the pool does not hold it.
    public func label(of speed: MoSISpeed) -> Int? { speeds.firstIndex(of: speed) }

    /// Official order: all pairs enumerated x-outer, y-inner over [−K, K]² (only pairs with a zero
    /// component unless coupled); decoupled pools then take the x-moving pairs, then the y-moving
    /// pairs, in that order, and append the still pair last.
    private static func speeds(k: Int, motions: Motions) -> [MoSISpeed] {
        let range = -k...k
        let all = range.flatMap { x in range.map { y in MoSISpeed(x: x, y: y) } }
        if motions == .coupled { return all }
        let oneAxis = all.filter { $0.x * $0.y == 0 }
        var pool: [MoSISpeed] = []
        if motions != .vertical { pool += oneAxis.filter { $0.x != 0 } }
        if motions != .horizontal { pool += oneAxis.filter { $0.y != 0 } }
        return pool + [.still]
    }
}
