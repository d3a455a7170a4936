import KinemaData
import KinemaMotion
import KinemaVideo

/// Computes MME's targets for one clip on the fly, from its raw frames (Sun et al., CVPR 2023,
/// §3.3 and appendix B): for every tubelet, a √K × √K grid of points per patch starts on the
/// tubelet's first frame and is tracked through L flow fields at the *full* frame rate (the
/// "temporally dense" trajectories a sparsely sampled clip is asked to interpolate); each token
/// gets its points' position changes (Eq. 4), shape features (Eq. 5 or the released per-frame
/// HOG), a loss-mask flag (Eq. 7) and, for the baselines, a short-term motion target (flow, HOF
/// or MBH, Table 5).
///
/// Targets follow the clip's augmentation: flow is computed on the crop of the raw frames at their
/// native resolution (mirrored when the clip is), points are placed on the grid of the *clip's*
/// patches and mapped into that crop, and tracked positions are mapped back, so positions and
/// displacements are both in the clip's pixels (``MMEClipGeometry``). Out-of-view flags are
/// decided on the mapped positions against the clip's frame, never interpolated.
///
/// Pure CPU, no tensors: use one computer per loader thread (it holds OpenCV state).
public final class MMETargetComputer {
    public let configuration: MMETargetConfiguration
    private let flows: MMEFlowSource
    private let tracker: DenseTrajectoryTracker
    private let times: MMEStageTimes?

    /// `estimator` replaces the configured flow method (e.g. a known field in tests); `times`, when
    /// given, accumulates the seconds of each stage (the bench's).
    public init(
        _ configuration: MMETargetConfiguration = MMETargetConfiguration(), flow estimator: (any OpticalFlow)? = nil,
        times: MMEStageTimes? = nil
    ) throws(MMETargetError) {
        try configuration.validate()
        (self.configuration, self.times) = (configuration, times)
        var p = DenseTrajectoryTracker.Parameters(length: configuration.length, gridStep: configuration.gridStep)
        p.medianFilter = configuration.medianFilter
        p.sampling = configuration.sampling
        do {
            tracker = try DenseTrajectoryTracker(p)
            flows = try MMEFlowSource(configuration, estimator: try estimator ?? FlowMethod(name: configuration.flow)!.makeEstimator(), times: times)
        } catch let error as MMETargetError {
            throw error
        } catch { throw MMETargetError("MME targets: \(error)") }
    }

    /// The targets of the clip made of `clipFrames` frames taken every `stride` raw frames and
    /// transformed by `transform`. `rawFrames` are the video's frames at the full rate from the
    /// clip's first frame on, at least ``MMETargetConfiguration/rawFramesNeeded(clipFrames:stride:)``
    /// of them, all of one size.
    ///
    /// `wholeFrameFlows`, when given, replaces the flow estimation: element i is the flow from raw
    /// frame i to i + 1 of the *whole* frames, the camera's motion removed when configured (what
    /// ``MMEFlowCache`` holds); each is cut to the flow frame as the clip's crop and mirror cut the
    /// frames (``MMEClipGeometry/flowFrameFlow(_:)``), then encoded as configured.
    public func targets(
        rawFrames: [Image], clipFrames: Int, stride: Int, transform: ClipTransform, wholeFrameFlows: [FlowField]? = nil
    ) throws(MMETargetError) -> MMETargets {
        let c = configuration
        guard clipFrames >= c.tubelet, clipFrames % c.tubelet == 0, stride >= 1 else {
            throw MMETargetError("a clip of \(clipFrames) frames at stride \(stride) does not split into tubelets of \(c.tubelet)")
        }
        let needed = c.rawFramesNeeded(clipFrames: clipFrames, stride: stride)
        guard let first = rawFrames.first, rawFrames.count >= needed else {
            throw MMETargetError("a clip of \(clipFrames) frames at stride \(stride) with L = \(c.length) needs \(needed) raw frames from its first frame on, got \(rawFrames.count)")
        }
        guard rawFrames.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw MMETargetError("the raw frames differ in size")
        }
        let geometry = try MMEClipGeometry(transform, frameWidth: first.width, frameHeight: first.height)
        guard geometry.clipSize % c.patch == 0 else {
            throw MMETargetError("the \(geometry.clipSize)² clip does not split into \(c.patch)-px patches")
        }
        var frames = FrameCache(rawFrames, geometry)
        let (g, side, grid) = (c.gridStep, c.pointsPerSide, geometry.clipSize / c.gridStep)
        let starts = (0..<(grid * grid)).flatMap { n in
            let p = geometry.flowPoint(x: Float(g / 2 + g * (n % grid)), y: Float(g / 2 + g * (n / grid)))
            return [p.x, p.y]
        }
        let tubelets = clipFrames / c.tubelet
        var (trajectory, shape, shortTerm, valid, tracks) = ([Float](), [Float](), [Float](), [Bool](), [TrajectorySet]())
        var flowCache: [Int: FlowField] = [:]
        for k in 0..<tubelets {
            let start = k * c.tubelet * stride
            var fields: [FlowField] = []
            for i in start..<(start + c.length) {
                if flowCache[i] == nil { flowCache[i] = try flow(i, &frames, geometry: geometry, wholeFrameFlows: wholeFrameFlows) }
                fields.append(flowCache[i]!)
            }
            let set = try times.add(\.tracking) { () throws(MMETargetError) in
                try track(starts, through: fields, startFrame: start, geometry: geometry)
            }
            tracks.append(set)
            // Eq. 5 reads frames t < L of the trajectory; the released HOG the tubelet's last frame.
            let shapeFrames = c.shape == .trajectoryAligned ? Array(start..<(start + c.length)) : [start + (c.tubelet - 1) * stride]
            let hog = try times.add(\.shape) { () throws(MMETargetError) in
                try MMEShapeFeatures.perPoint(c, tracks: set, frames: try shapeFrames.map { (i) throws(MMETargetError) in try frames.clipFrame(i) })
            }
            trajectory += tokenRows(set.displacements(), perPoint: c.length * 2, grid: grid, side: side)
            shape += tokenRows(hog, perPoint: c.hogChannels / c.pointsPerPatch, grid: grid, side: side)
            if c.shortTerm != .none {
                let i = start + (c.tubelet - 1) * stride
                if flowCache[i] == nil { flowCache[i] = try flow(i, &frames, geometry: geometry, wholeFrameFlows: wholeFrameFlows) }
                let layout = try times.add(\.shortTerm) { () throws(MMETargetError) in
                    try MMEShortTermFeatures.values(c, flow: flowCache[i]!, geometry: geometry)
                }
                shortTerm += tokenRows(layout.values, perPoint: layout.perPoint, grid: layout.grid, side: layout.side)
            }
            let inView = (0..<set.count).map { !set.flags[$0].contains(.outOfFrame) }
            valid += tokenRows(inView, grid: grid, side: side).map { points in
                c.validity == .anyPoint ? points.contains(true) : !points.contains(false)
            }
        }
        let scaling = normalise(&trajectory, &shape, &shortTerm)
        return MMETargets(
            tokenFrames: tubelets, tokenRows: grid / side, tokenColumns: grid / side, trajectoryChannels: c.trajectoryChannels,
            trajectory: trajectory, shapeChannels: c.hogChannels, shape: shape, shortTermChannels: c.shortTermChannels,
            shortTerm: shortTerm, valid: valid, tracks: tracks, trajectoryScaling: scaling)
    }

    /// The flow from raw frame `i` to `i + 1` of the flow frames, estimated or cut from the whole
    /// frames' flow.
    private func flow(_ i: Int, _ frames: inout FrameCache, geometry: MMEClipGeometry, wholeFrameFlows: [FlowField]?) throws(MMETargetError) -> FlowField {
        do {
            guard let wholeFrameFlows else { return try flows.flow(from: try frames.flowFrame(i), to: try frames.flowFrame(i + 1)) }
            guard i < wholeFrameFlows.count, wholeFrameFlows[i].width == frames.raw[i].width, wholeFrameFlows[i].height == frames.raw[i].height else {
                throw MMETargetError("whole-frame flow \(i) → \(i + 1) is missing or not \(frames.raw[i].width)x\(frames.raw[i].height)")
            }
            return try flows.encoded(times.add(\.cachedFlow) { geometry.flowFrameFlow(wholeFrameFlows[i]) })
        } catch let error as MMETargetError {
            throw error
        } catch { throw MMETargetError("MME flow \(i) → \(i + 1): \(error)") }
    }

    /// Tracks the flow-frame `starts` and returns them in the clip's pixels, flagged where they
    /// leave the clip.
    private func track(_ starts: [Float], through fields: [FlowField], startFrame: Int, geometry: MMEClipGeometry) throws(MMETargetError) -> TrajectorySet {
        var positions: [Float]
        do { positions = try tracker.positions(from: starts, through: fields[...]) } catch { throw MMETargetError("MME tracking: \(error)") }
        for i in Swift.stride(from: 0, to: positions.count, by: 2) {
            (positions[i], positions[i + 1]) = geometry.clipPoint(x: positions[i], y: positions[i + 1])
        }
        let grid = geometry.clipSize / configuration.gridStep
        var set = TrajectorySet(
            startFrame: startFrame, length: configuration.length, rows: grid, columns: grid, gridStep: configuration.gridStep,
            positions: positions, flags: [])
        set.flags = (0..<set.count).map { set.leavesFrame($0, width: geometry.clipSize, height: geometry.clipSize) ? .outOfFrame : [] }
        return set
    }

    /// Per-point values of a `grid × grid` point grid, `[grid²][perPoint]`, regrouped per token:
    /// `[tokens][K][perPoint]`, the K points of a patch row-major.
    private func tokenRows(_ values: [Float], perPoint: Int, grid: Int, side: Int) -> [Float] {
        tokenRows(Array(0..<(grid * grid)), grid: grid, side: side).flatMap { points in
            points.flatMap { values[($0 * perPoint)..<(($0 + 1) * perPoint)] }
        }
    }

    /// `values` (one per grid point) grouped by token: each token's K values, row-major.
    private func tokenRows<T>(_ values: [T], grid: Int, side: Int) -> [[T]] {
        let patches = grid / side
        return (0..<(patches * patches)).map { token in
            let (row, column) = (token / patches * side, token % patches * side)
            return (0..<(side * side)).map { values[(row + $0 / side) * grid + column + $0 % side] }
        }
    }

    /// The configured per-token normalisations; the per-frame HOG is reordered to the released
    /// (channel, bin, cell row, cell column) layout. Returns how to undo the trajectory's.
    private func normalise(_ trajectory: inout [Float], _ shape: inout [Float], _ shortTerm: inout [Float]) -> MMETrajectoryScaling {
        let c = configuration
        let scaling: MMETrajectoryScaling
        switch c.trajectoryNormalization {
        case .patchNorm:
            scaling = MMETrajectoryScaling(groupsPerToken: 1, groups: MMEPatchStandardisation.patchNorm(
                &trajectory, channels: c.trajectoryChannels, floor: MMEPatchStandardisation.positionFloor))
        case .patchStd:
            scaling = MMETrajectoryScaling(groupsPerToken: c.length * 2, groups: MMEPatchStandardisation.perPosition(
                &trajectory, channels: c.trajectoryChannels, perPoint: c.length * 2, floor: MMEPatchStandardisation.positionFloor))
        case .none:
            scaling = .identity
        }
        if c.shape == .perFrame {
            let perPoint = c.hogChannels / c.pointsPerPatch
            shape = Swift.stride(from: 0, to: shape.count, by: c.hogChannels).flatMap { start in
                (0..<c.hogChannels).map { i in shape[start + (i % c.pointsPerPatch) * perPoint + i / c.pointsPerPatch] }
            }
        }
        if c.hogPatchNorm {
            MMEPatchStandardisation.patchNorm(&shape, channels: c.hogChannels, floor: 0)
            if c.shortTerm != .none {
                // Flow vectors are position changes: equal ones differ by rounding alone.
                let floor = c.shortTerm == .flow ? MMEPatchStandardisation.positionFloor : 0
                MMEPatchStandardisation.patchNorm(&shortTerm, channels: c.shortTermChannels, floor: floor)
            }
        }
        return scaling
    }
}

/// The raw frames as the flow sees them (cropped, mirrored) and as the clip shows them (resized),
/// each made once.
private struct FrameCache {
    let raw: [Image]
    let geometry: MMEClipGeometry
    var flowFrames: [Int: Image] = [:]
    var clipFrames: [Int: Image] = [:]

    init(_ raw: [Image], _ geometry: MMEClipGeometry) { (self.raw, self.geometry) = (raw, geometry) }

    mutating func flowFrame(_ i: Int) throws(MMETargetError) -> Image {
        if let frame = flowFrames[i] { return frame }
        let frame = try geometry.flowFrame(raw[i])
        flowFrames[i] = frame
        return frame
    }

    mutating func clipFrame(_ i: Int) throws(MMETargetError) -> Image {
        if let frame = clipFrames[i] { return frame }
        let frame = try geometry.clipFrame(raw[i])
        clipFrames[i] = frame
        return frame
    }
}
