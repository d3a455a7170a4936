internal import CKinemaCV

/// The camera's motion between two frames, as a homography.
public struct CameraMotion: Sendable, Equatable {
    /// 3 × 3 homography, row-major, mapping first-frame pixel coordinates to second-frame ones
    /// (identity when ``isEstimated`` is false).
    public let homography: [Double]
    /// False when too few correspondences or RANSAC inliers were found: the identity was used
    /// instead, and downstream code may want to flag or skip the pair.
    public let isEstimated: Bool
    /// Correspondences from descriptor matching and from flow at corners, and RANSAC's inliers.
    public let featureMatches: Int
    public let flowMatches: Int
    public let inliers: Int

    /// Inliers over all correspondences (0 when there were none).
    public var inlierRatio: Double {
        let total = featureMatches + flowMatches
        return total > 0 ? Double(inliers) / Double(total) : 0
    }

    /// Where the homography sends a first-frame point.
    public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        let h = homography
        let w = h[6] * x + h[7] * y + h[8]
        return ((h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w)
    }
}

/// Removes camera motion from optical flow the way improved dense trajectories do (Wang & Schmid,
/// ICCV 2013, §2.1) and MME's flow extraction does (appendix A, dense_flow's "warp flow"):
///
/// 1. correspondences between the frames from descriptor matches (ORB or SIFT; iDT used SURF,
///    which Debian's OpenCV lacks) kept only if they moved at most ``Parameters/matchWindow`` px,
///    plus strong corners displaced by the flow;
/// 2. a RANSAC homography (1 px threshold), accepted only with enough matches and inliers;
/// 3. the second frame warped back onto the first with it (pixels with no source are taken from the
///    first frame, so they get zero flow), and the flow recomputed: what remains is object motion.
///
/// No human detector masks people out of the estimate (iDT had one; MME's tool does not either).
public final class CameraMotionCompensator {
    public enum Detector: String, Sendable, Codable { case orb, sift }

    public struct Parameters: Sendable, Equatable, Codable {
        public var detector = Detector.orb
        /// Keypoints per frame for descriptor matching.
        public var maxFeatures = 1000
        /// A descriptor match counts only if its keypoints are at most this far apart (px).
        public var matchWindow: Float = 25
        /// Corners displaced by the flow (goodFeaturesToTrack: count, quality, minimum distance),
        /// as dense_flow does.
        public var maxCorners = 1000
        public var cornerQuality = 0.001
        public var cornerMinDistance = 3.0
        /// RANSAC reprojection threshold (px).
        public var ransacThreshold = 1.0
        /// Fewer correspondences or inliers than these: no estimate (identity, flagged). dense_flow
        /// uses 50 and 25.
        public var minMatches = 50
        public var minInliers = 25

        public init() {}
    }

    /// The flow with the camera's motion removed, and what was removed.
    public struct Result: Sendable {
        /// Flow from the first frame to the second frame warped onto it.
        public let flow: FlowField
        public let camera: CameraMotion
        /// The second frame aligned to the first by the camera homography.
        public let alignedSecond: Image
    }

    public let parameters: Parameters
    private let estimator: any OpticalFlow

    public init(flow estimator: any OpticalFlow, parameters: Parameters = Parameters()) throws(MotionError) {
        let p = parameters
        guard p.maxFeatures > 0, p.matchWindow > 0, p.maxCorners >= 0, p.cornerQuality > 0, p.cornerMinDistance >= 0,
            p.ransacThreshold > 0, p.minMatches >= 4, p.minInliers >= 4
        else { throw MotionError("camera motion", .invalidParameter("counts and thresholds must be positive (min matches/inliers >= 4)")) }
        self.parameters = parameters
        self.estimator = estimator
    }

    /// The camera homography from `first` to `second`; `flow` (first → second), when given, adds
    /// flow correspondences at corners.
    public func estimate(from first: Image, to second: Image, flow: FlowField? = nil) throws(MotionError) -> CameraMotion {
        guard first.width == second.width, first.height == second.height else {
            throw MotionError("camera motion", .sizeMismatch("frames are \(first.width)x\(first.height) and \(second.width)x\(second.height)"))
        }
        if let flow, flow.width != first.width || flow.height != first.height {
            throw MotionError("camera motion", .sizeMismatch("flow is \(flow.width)x\(flow.height), frames \(first.width)x\(first.height)"))
        }
        let p = parameters
        var c = kcv_homography_params(
            detector: p.detector == .sift ? 1 : 0, max_features: Int32(p.maxFeatures), match_window: p.matchWindow,
            max_corners: Int32(p.maxCorners), corner_quality: p.cornerQuality, corner_min_distance: p.cornerMinDistance,
            ransac_threshold: p.ransacThreshold, min_matches: Int32(p.minMatches), min_inliers: Int32(p.minInliers))
        var result = kcv_homography_result()
        do {
            try first.withView { (a) throws(CVFailure) in
                try second.withView { (b) throws(CVFailure) in
                    if let flow {
                        try flow.withView { (f) throws(CVFailure) in try cvCheck(kcv_estimate_homography(a, b, f, &c, &result)) }
                    } else {
                        try cvCheck(kcv_estimate_homography(a, b, kcv_view(), &c, &result))
                    }
                }
            }
        } catch { throw MotionError("camera motion", error) }
        let h = withUnsafeBytes(of: result.h) { Array($0.bindMemory(to: Double.self)) }
        return CameraMotion(
            homography: h, isEstimated: result.estimated, featureMatches: Int(result.feature_matches),
            flowMatches: Int(result.flow_matches), inliers: Int(result.inliers))
    }

    /// Flow from `first` to `second` with the camera's motion removed (iDT's "warped flow").
    public func compensatedFlow(from first: Image, to second: Image) throws(MotionError) -> Result {
        let initial = try estimator.flow(from: first, to: second)
        let camera = try estimate(from: first, to: second, flow: initial)
        guard camera.isEstimated else { return Result(flow: initial, camera: camera, alignedSecond: second) }
        let aligned: Image
        do {
            // aligned(x) = second(H·x): the homography read as output → input.
            aligned = try second.warpedPerspective(by: camera.homography, inverse: true, fill: try first.converted(to: second.format))
        } catch { throw MotionError("camera motion", .engine(error.description)) }
        return Result(flow: try estimator.flow(from: first, to: aligned), camera: camera, alignedSecond: aligned)
    }
}
