/// Why a trajectory is not trustworthy (Wang et al., "Dense Trajectories and Motion Boundary
/// Descriptors for Action Recognition", IJCV 2013, §3.2, and MME appendix B).
public struct TrajectoryFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A point left the frame (MME Eq. 7's loss mask: not 0 < x < W and 0 < y < H).
    public static let outOfFrame = TrajectoryFlags(rawValue: 1)
    /// Hardly moves: the standard deviations of x and of y are both below `minSpread` (DT: √3 px).
    public static let staticTrack = TrajectoryFlags(rawValue: 2)
    /// Spreads too far: the standard deviation of x or of y exceeds `maxSpread` (DT: 50 px).
    public static let erratic = TrajectoryFlags(rawValue: 4)
    /// Drift: one step is longer than `maxStep` (DT: 20 px) and than `maxStepShare` (70 %) of the
    /// whole trajectory's length.
    public static let suddenJump = TrajectoryFlags(rawValue: 8)
}

/// Points on a regular grid tracked through L flow fields (MME Eq. 2 and 6).
public struct TrajectorySet: Sendable, Equatable {
    /// The frame the points start on.
    public let startFrame: Int
    /// L: steps tracked (the trajectory has L + 1 positions).
    public let length: Int
    /// The grid: `rows × columns` points at `(step/2 + step·c, step/2 + step·r)`.
    public let rows: Int
    public let columns: Int
    public let gridStep: Int
    /// `[rows · columns][L + 1][2]` positions (x, y) in pixels, grid point index = row · columns + column.
    public var positions: [Float]
    /// One entry per point.
    public var flags: [TrajectoryFlags]

    public var count: Int { rows * columns }

    /// A set from its parts (positions need not come from ``DenseTrajectoryTracker``: MME's targets
    /// map tracked points into the coordinates of the augmented clip).
    public init(
        startFrame: Int, length: Int, rows: Int, columns: Int, gridStep: Int, positions: [Float], flags: [TrajectoryFlags]
    ) {
        precondition(positions.count == rows * columns * (length + 1) * 2, "\(rows)x\(columns) trajectories of length \(length) need \(rows * columns * (length + 1) * 2) coordinates, got \(positions.count)")
        precondition(flags.isEmpty || flags.count == rows * columns, "one flag set per trajectory")
        (self.startFrame, self.length, self.rows, self.columns, self.gridStep) = (startFrame, length, rows, columns, gridStep)
        (self.positions, self.flags) = (positions, flags)
    }

    /// Whether trajectory `index` leaves a `width × height` frame at any of its L + 1 positions:
    /// MME Eq. 7's loss mask keeps a point only while `0 < x < W` and `0 < y < H`.
    public func leavesFrame(_ index: Int, width: Int, height: Int) -> Bool {
        (0...length).contains { step in
            let p = position(index, step: step)
            return !(p.x > 0 && p.x < Float(width) && p.y > 0 && p.y < Float(height))
        }
    }

    /// Position `step` (0...L) of trajectory `index`.
    public func position(_ index: Int, step: Int) -> (x: Float, y: Float) {
        let i = (index * (length + 1) + step) * 2
        return (positions[i], positions[i + 1])
    }

    /// The position features of MME Eq. 4: `Δp_t = p_{t+1} − p_t` for t = 0..<L, as
    /// `[count][L][2]` (x, y).
    public func displacements() -> [Float] {
        var out = [Float](repeating: 0, count: count * length * 2)
        for n in 0..<count {
            for t in 0..<length {
                let a = position(n, step: t), b = position(n, step: t + 1)
                out[(n * length + t) * 2] = b.x - a.x
                out[(n * length + t) * 2 + 1] = b.y - a.y
            }
        }
        return out
    }

    /// DT's trajectory shape descriptor: displacements divided by the trajectory's total length
    /// (sum of step lengths), `[count][L][2]`; zero for trajectories that do not move.
    public func normalizedDisplacements() -> [Float] {
        var out = displacements()
        for n in 0..<count {
            let steps = (0..<length).map { t in
                let (dx, dy) = (out[(n * length + t) * 2], out[(n * length + t) * 2 + 1])
                return (dx * dx + dy * dy).squareRoot()
            }
            let total = steps.reduce(0, +)
            guard total > 0 else { continue }
            for k in (n * length * 2)..<((n + 1) * length * 2) { out[k] /= total }
        }
        return out
    }

    /// Displacement maps in the layout MME stores (`(2·L, rows, columns)`, channel `c·L + t` with
    /// c = 0 for x, 1 for y), clamped to `±clamp` px.
    public func displacementMaps(clamp: Float = 20) -> [Float] {
        let d = displacements()
        var out = [Float](repeating: 0, count: 2 * length * count)
        for n in 0..<count {
            for t in 0..<length {
                for c in 0..<2 { out[(c * length + t) * count + n] = min(max(d[(n * length + t) * 2 + c], -clamp), clamp) }
            }
        }
        return out
    }

    /// Whether each trajectory has none of `rejecting` (MME's loss mask rejects `.outOfFrame` only;
    /// DT rejects all four kinds).
    public func validity(rejecting: TrajectoryFlags = .outOfFrame) -> [Bool] {
        flags.map { $0.isDisjoint(with: rejecting) }
    }
}

/// Tracks a dense grid of points with optical flow (DT's dense sampling without the
/// texture test, as MME does): `p_{t+1} = p_t + (M ∗ ω_t)(p_t)` with M a 3 × 3 median filter
/// (MME appendix B, Eq. 6), then flags each trajectory with DT's pruning rules.
public struct DenseTrajectoryTracker: Sendable {
    public enum Sampling: String, Sendable, Codable {
        /// The flow at the nearest pixel (DT/iDT's `cvRound` lookup).
        case nearest
        /// Bilinear interpolation of the flow at the sub-pixel position (MME Eq. 6 reads the
        /// filtered flow at the tracked sub-pixel point).
        case bilinear
        /// The flow at the nearest pixel with each component truncated toward zero to whole pixels:
        /// MME's released tracker casts the flow to integers, so sub-pixel motion never accumulates.
        case nearestTruncated
    }

    public struct Parameters: Sendable, Equatable, Codable {
        /// L, frames tracked. The MME paper uses 6; its released K400 run used 4; DT uses 15.
        public var length = 6
        /// Grid spacing (px): MME samples 8-px cells (K = 4 points per 16 × 16 patch); DT uses 5.
        public var gridStep = 8
        /// Median-filter the flow before tracking (Eq. 6). MME's released code skips it.
        public var medianFilter = true
        public var sampling = Sampling.nearest
        /// DT's pruning thresholds (see ``TrajectoryFlags``).
        public var minSpread: Float = Float(3).squareRoot()
        public var maxSpread: Float = 50
        public var maxStep: Float = 20
        public var maxStepShare: Float = 0.7

        public init(length: Int = 6, gridStep: Int = 8) {
            self.length = length
            self.gridStep = gridStep
        }
    }

    public let parameters: Parameters

    public init(_ parameters: Parameters = Parameters()) throws(MotionError) {
        guard parameters.length >= 1, parameters.gridStep >= 1 else {
            throw MotionError("trajectory tracking", .invalidParameter("length and grid step must be >= 1"))
        }
        self.parameters = parameters
    }

    /// Trajectories starting on frame `startFrame`, tracked through `flows` (flow t goes from frame
    /// `startFrame + t` to the next; at least L fields of one size, only the first L are used).
    public func track(_ flows: ArraySlice<FlowField>, startFrame: Int = 0) throws(MotionError) -> TrajectorySet {
        let L = parameters.length
        let (W, H) = try frameSize(of: flows)
        let s = parameters.gridStep
        let (rows, columns) = (H / s, W / s)
        guard rows > 0, columns > 0 else {
            throw MotionError("trajectory tracking", .invalidParameter("a \(W)x\(H) frame holds no \(s)-px grid cell"))
        }
        var starts: [Float] = []
        starts.reserveCapacity(rows * columns * 2)
        for r in 0..<rows {
            for c in 0..<columns { starts += [Float(s / 2 + s * c), Float(s / 2 + s * r)] }
        }
        let positions = try positions(from: starts, through: flows)
        var set = TrajectorySet(
            startFrame: startFrame, length: L, rows: rows, columns: columns, gridStep: s, positions: positions,
            flags: [])
        set.flags = (0..<set.count).map { flags(of: set, $0, width: W, height: H) }
        return set
    }

    /// Points tracked from arbitrary starts (`[n][2]` (x, y) in pixels) through the first L `flows`
    /// with this tracker's median filter and sampling: `[n][L + 1][2]` positions. No flags: the
    /// caller knows which frame the points must stay in.
    public func positions(from starts: [Float], through flows: ArraySlice<FlowField>) throws(MotionError) -> [Float] {
        let L = parameters.length
        _ = try frameSize(of: flows)
        guard starts.count % 2 == 0 else { throw MotionError("trajectory tracking", .invalidParameter("\(starts.count) start coordinates are not (x, y) pairs")) }
        let fields = try flows.prefix(L).map { (f) throws(MotionError) in parameters.medianFilter ? try f.medianFiltered() : f }
        let n = starts.count / 2
        var positions = [Float](repeating: 0, count: n * (L + 1) * 2)
        for i in 0..<n {
            var (x, y) = (starts[2 * i], starts[2 * i + 1])
            let base = i * (L + 1) * 2
            (positions[base], positions[base + 1]) = (x, y)
            for t in 0..<L {
                let (u, v) = sample(fields[t], x: x, y: y)
                (x, y) = (x + u, y + v)
                (positions[base + (t + 1) * 2], positions[base + (t + 1) * 2 + 1]) = (x, y)
            }
        }
        return positions
    }

    /// Trajectories starting on every frame that has L flow fields after it (MME pre-extracts one
    /// set per start frame): `flows.count − L + 1` sets.
    public func trackAll(_ flows: [FlowField]) throws(MotionError) -> [TrajectorySet] {
        var stream = stream()
        var sets: [TrajectorySet] = []
        for flow in flows { if let set = try stream.append(flow) { sets.append(set) } }
        return sets
    }

    /// Tracking as flow fields arrive (a video of any length in bounded memory): each field is
    /// median-filtered once, and once L fields are in, every new one completes the set that
    /// started L fields back.
    public func stream() -> Stream { Stream(self) }

    public struct Stream: Sendable {
        private let tracker: DenseTrajectoryTracker
        private let filter: Bool
        private var window: [FlowField] = []
        private var nextStart = 0

        init(_ tracker: DenseTrajectoryTracker) {
            var unfiltered = tracker.parameters
            unfiltered.medianFilter = false
            self.tracker = DenseTrajectoryTracker(uncheckedParameters: unfiltered)
            filter = tracker.parameters.medianFilter
        }

        /// Adds the flow from frame `n` to `n + 1` (fields in order); returns the set starting at
        /// frame `n + 1 − L` once there is one.
        public mutating func append(_ flow: FlowField) throws(MotionError) -> TrajectorySet? {
            window.append(filter ? try flow.medianFiltered() : flow)
            guard window.count == tracker.parameters.length else { return nil }
            let set = try tracker.track(window[...], startFrame: nextStart)
            window.removeFirst()
            nextStart += 1
            return set
        }
    }

    private init(uncheckedParameters: Parameters) { parameters = uncheckedParameters }

    /// The size of the first L fields, which must be there and agree.
    private func frameSize(of flows: ArraySlice<FlowField>) throws(MotionError) -> (width: Int, height: Int) {
        let L = parameters.length
        guard let first = flows.first, flows.count >= L else {
            throw MotionError("trajectory tracking", .invalidParameter("\(flows.count) flow fields, L = \(L) needs at least \(L)"))
        }
        guard flows.prefix(L).allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw MotionError("trajectory tracking", .sizeMismatch("flow fields differ in size"))
        }
        return (first.width, first.height)
    }

    /// The flow at a point; positions outside the frame read the nearest border pixel.
    private func sample(_ flow: FlowField, x: Float, y: Float) -> (Float, Float) {
        let (W, H) = (flow.width, flow.height)
        switch parameters.sampling {
        case .nearest, .nearestTruncated:
            let xi = min(max(Int(x.rounded()), 0), W - 1), yi = min(max(Int(y.rounded()), 0), H - 1)
            let (u, v) = flow[xi, yi]
            return parameters.sampling == .nearest ? (u, v) : (u.rounded(.towardZero), v.rounded(.towardZero))
        case .bilinear:
            let cx = min(max(x, 0), Float(W - 1)), cy = min(max(y, 0), Float(H - 1))
            let (x0, y0) = (Int(cx), Int(cy))
            let (x1, y1) = (min(x0 + 1, W - 1), min(y0 + 1, H - 1))
            let (fx, fy) = (cx - Float(x0), cy - Float(y0))
            let (a, b, c, d) = (flow[x0, y0], flow[x1, y0], flow[x0, y1], flow[x1, y1])
            let u = (a.u * (1 - fx) + b.u * fx) * (1 - fy) + (c.u * (1 - fx) + d.u * fx) * fy
            let v = (a.v * (1 - fx) + b.v * fx) * (1 - fy) + (c.v * (1 - fx) + d.v * fx) * fy
            return (u, v)
        }
    }

    private func flags(of set: TrajectorySet, _ n: Int, width: Int, height: Int) -> TrajectoryFlags {
        let p = parameters
        let points = (0...set.length).map { set.position(n, step: $0) }
        var flags: TrajectoryFlags = []
        if set.leavesFrame(n, width: width, height: height) { flags.insert(.outOfFrame) }
        let count = Float(points.count)
        let (mx, my) = (points.map(\.x).reduce(0, +) / count, points.map(\.y).reduce(0, +) / count)
        let sx = (points.map { ($0.x - mx) * ($0.x - mx) }.reduce(0, +) / count).squareRoot()
        let sy = (points.map { ($0.y - my) * ($0.y - my) }.reduce(0, +) / count).squareRoot()
        if sx < p.minSpread && sy < p.minSpread { flags.insert(.staticTrack) }
        if sx > p.maxSpread || sy > p.maxSpread { flags.insert(.erratic) }
        let steps = zip(points, points.dropFirst()).map { a, b in ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() }
        let longest = steps.max() ?? 0, total = steps.reduce(0, +)
        if longest > p.maxStep && longest > p.maxStepShare * total { flags.insert(.suddenJump) }
        return flags
    }
}
