import KinemaMotion
import KinemaVideo

/// The optical-flow baselines of CGM-Net's Table 1 (Tian et al., ECCV 2020, §4.1: "for other
/// optical flow methods, we compute the optical flow for every two consecutive frames"), with any
/// estimator of ``FlowMethod``.
///
/// **Seen frames: backward warping.** Frame t + 1 is synthesised from frame t by sampling frame t
/// where each pixel of frame t + 1 came from, which needs the flow from t + 1 to t,
/// `F = flow(from: frame[t+1], to: frame[t])`, whose definition is `frame[t](x + F(x)) ≈
/// frame[t+1](x)`:
///
///     seen[t](x) = frame[t](x + F_{t+1→t}(x))      (bilinear, border replicated: Image.warped(by:))
///
/// (The flow from t to t + 1 would have to be splatted forwards, leaving holes; warping frame t by
/// it instead would move the content the wrong way.)
///
/// **Next frame: constant-velocity extrapolation.** With the same backward flow one step earlier,
/// `G = F_{T−1→T−2} = flow(from: frame[T−1], to: frame[T−2])`, the point at x in frame T − 1 came
/// from x + G(x), so its velocity is −G(x) and it will be at x − G(x) in frame T. Backward warping
/// needs, for each pixel y of frame T, the velocity of the point that lands on y; this assumes it is
/// the velocity measured at y in frame T − 1, so
///
///     next(y) = frame[T−1](y + G(y)),  i.e. F_{T→T−1}(y) ≈ F_{T−1→T−2}(y).
///
/// The approximation reads the velocity one displacement away from the point it belongs to: exact
/// for a translation, off by about `|G|·|∇G|` where the motion varies in space (the leading edge of
/// a moving object borrows the background's velocity). `G` is the flow of the last seen pair, so
/// each clip costs `T − 1` flow fields.
public final class FlowReconstructor: MotionReconstructor {
    public let name: String
    private let estimator: any OpticalFlow

    /// A baseline with the estimator `method`, reported under `name`.
    public init(_ method: FlowMethod, name: String) throws(MotionError) {
        self.name = name
        estimator = try method.makeEstimator()
    }

    /// A baseline with the estimator ``FlowMethod/init(name:)`` knows by `name`, with its defaults.
    public convenience init(named name: String) throws(MotionError) {
        guard let method = FlowMethod(name: name) else {
            throw MotionError("flow baseline", .invalidParameter("unknown flow method '\(name)'; use one of \(FlowMethod.names.joined(separator: ", "))"))
        }
        try self.init(method, name: name.lowercased())
    }

    public func reconstruct(clip: [Image]) throws -> MotionReconstruction {
        guard clip.count >= 2 else { throw TrainingRunError("\(name): a clip needs at least 2 frames, got \(clip.count)") }
        var seen: [Image] = []
        var last: FlowField?
        for t in 0..<(clip.count - 1) {
            let backward = try estimator.flow(from: clip[t + 1], to: clip[t])
            seen.append(try clip[t].warped(by: backward))
            last = backward
        }
        return MotionReconstruction(seen: seen, next: try clip[clip.count - 1].warped(by: last!))
    }
}
