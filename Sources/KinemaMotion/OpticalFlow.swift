internal import CKinemaCV

/// A dense optical-flow estimator. Implementations hold OpenCV state (buffers reused across
/// calls): create one per thread and reuse it for a whole video.
public protocol OpticalFlow: AnyObject {
    /// Flow from `first` to `second` (8-bit gray/RGB/RGBA, same size; colour is converted to
    /// ITU-R 601 luma): `second(x + u, y + v) ≈ first(x, y)`.
    func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField
}

/// The estimators Kinema offers, with their parameters: the value configs and the CLI name.
public enum FlowMethod: Sendable, Equatable, Codable {
    case dis(DISFlow.Parameters)
    case farneback(FarnebackFlow.Parameters)
    case tvl1(TVL1Flow.Parameters)

    /// Creates the estimator.
    public func makeEstimator() throws(MotionError) -> any OpticalFlow {
        switch self {
        case .dis(let p): try DISFlow(p)
        case .farneback(let p): try FarnebackFlow(p)
        case .tvl1(let p): try TVL1Flow(p)
        }
    }

    /// Names accepted by ``init(name:)``.
    public static let names = ["dis-ultrafast", "dis-fast", "dis-medium", "farneback", "tvl1"]

    /// A method by name with its default parameters: dis-ultrafast, dis-fast, dis-medium, farneback, tvl1.
    public init?(name: String) {
        switch name.lowercased() {
        case "dis-ultrafast": self = .dis(.init(preset: .ultrafast))
        case "dis-fast": self = .dis(.init(preset: .fast))
        case "dis-medium", "dis": self = .dis(.init(preset: .medium))
        case "farneback": self = .farneback(.init())
        case "tvl1", "tv-l1": self = .tvl1(.init())
        default: return nil
        }
    }
}

/// The shim handle every OpenCV estimator wraps.
final class FlowEngine {
    private let handle: OpaquePointer
    let name: String

    init(_ name: String, _ create: (UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws(MotionError) {
        var h: OpaquePointer?
        do { try cvCheck(create(&h)) } catch { throw MotionError(name, error) }
        handle = h!
        self.name = name
    }

    deinit { kcv_flow_free(handle) }

    func flow(from first: Image, to second: Image) throws(MotionError) -> FlowField {
        guard first.width == second.width, first.height == second.height else {
            throw MotionError(name, .sizeMismatch("frames are \(first.width)x\(first.height) and \(second.width)x\(second.height)"))
        }
        let count = first.width * first.height * 2
        var status: Int32 = 0
        // OpenCV writes the flow straight into the field's storage.
        let vectors = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = first.withView { a in second.withView { b in kcv_flow_compute(handle, a, b, buffer.baseAddress) } }
            initialized = count
        }
        do { try cvCheck(status) } catch { throw MotionError(name, error) }
        return FlowField(width: first.width, height: first.height, vectors: vectors)
    }
}
