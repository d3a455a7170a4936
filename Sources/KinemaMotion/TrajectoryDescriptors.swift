/// Descriptors sampled along trajectories: iDT's HOG/HOF/MBH (Wang et al., IJCV 2013, §4; Wang &
/// Schmid, ICCV 2013) and MME's trajectory-aligned HOG (Eq. 5).
///
/// For each trajectory and each step t < L, a `patchSize × patchSize` window around the rounded
/// point p_t (shifted to stay inside the frame) is cut into `spatialCells × spatialCells` cells;
/// each cell's histogram comes from the frame-t integral histogram (HOG: image t; HOF/MBH: flow t).
/// The L per-step vectors are then averaged over `temporalCells` equal groups of
/// `⌊L / temporalCells⌋` steps (iDT's n_τ = 3; steps beyond the last group are dropped).
public struct TrajectoryDescriptor: Sendable {
    public enum Normalization: Sendable, Equatable, Codable {
        /// Raw window sums (MME normalises the K trajectories of a patch together later).
        case none
        /// iDT's per-step RootSIFT: every bin `max(sum, 0) + epsilon`, divided by the step vector's
        /// L1 norm, then square-rooted (iDT: epsilon 0.05).
        case rootSIFT(epsilon: Float)
    }

    public struct Parameters: Sendable, Equatable, Codable {
        public var patchSize: Int
        public var spatialCells: Int
        /// nil: one group per step (no temporal pooling).
        public var temporalCells: Int?
        public var normalization: Normalization

        public init(patchSize: Int = 32, spatialCells: Int = 2, temporalCells: Int? = 3, normalization: Normalization = .rootSIFT(epsilon: 0.05)) {
            (self.patchSize, self.spatialCells, self.temporalCells, self.normalization) = (patchSize, spatialCells, temporalCells, normalization)
        }

        /// iDT: 32 × 32 px, 2 × 2 × 3 cells, RootSIFT. With 8-bin HOG/MBH histograms that is 96 values,
        /// with 9-bin HOF 108.
        public static let idt = Parameters()
        /// MME Eq. 5: the histogram of the `cell × cell` window at every tracked point, L × bins values
        /// (use 9 unsigned bins: `IntegralHistogram(gradientsOf:bins: 9, fullCircle: false)`).
        public static func mme(cell: Int = 8) -> Parameters {
            Parameters(patchSize: cell, spatialCells: 1, temporalCells: nil, normalization: .none)
        }
    }

    public let parameters: Parameters

    public init(_ parameters: Parameters = .idt) throws(MotionError) {
        let p = parameters
        guard p.patchSize >= 1, p.spatialCells >= 1, p.patchSize % p.spatialCells == 0, (p.temporalCells ?? 1) >= 1 else {
            throw MotionError("trajectory descriptor", .invalidParameter("patch size must be a positive multiple of spatial cells; temporal cells >= 1"))
        }
        if case .rootSIFT(let e) = p.normalization, !(e >= 0) {
            throw MotionError("trajectory descriptor", .invalidParameter("RootSIFT epsilon must be >= 0"))
        }
        self.parameters = parameters
    }

    /// Values per trajectory for histograms of `dimensions` bins and trajectories of length L.
    public func dimension(histogramDimensions: Int, length: Int) -> Int {
        let groups = parameters.temporalCells ?? length
        return groups * parameters.spatialCells * parameters.spatialCells * histogramDimensions
    }

    /// `[trajectories.count][dimension]`, cells ordered (temporal group, x cell, y cell, bin) — iDT's
    /// order, x outer. `integrals[t]` must describe frame `startFrame + t` for t = 0..<L.
    public func describe(_ trajectories: TrajectorySet, integrals: [IntegralHistogram]) throws(MotionError) -> [Float] {
        let L = trajectories.length, p = parameters
        guard integrals.count >= L, let first = integrals.first else {
            throw MotionError("trajectory descriptor", .invalidParameter("\(integrals.count) integral histograms for L = \(L)"))
        }
        guard integrals.prefix(L).allSatisfy({ $0.width == first.width && $0.height == first.height && $0.dimensions == first.dimensions }) else {
            throw MotionError("trajectory descriptor", .sizeMismatch("integral histograms differ in size or bins"))
        }
        guard first.width >= p.patchSize, first.height >= p.patchSize else {
            throw MotionError("trajectory descriptor", .invalidParameter("\(first.width)x\(first.height) frames are smaller than the \(p.patchSize)-px patch"))
        }
        let groups = p.temporalCells ?? L
        let stepsPerGroup = L / groups
        guard stepsPerGroup >= 1 else {
            throw MotionError("trajectory descriptor", .invalidParameter("\(groups) temporal cells for L = \(L)"))
        }
        let cell = p.patchSize / p.spatialCells, d = first.dimensions
        let perStep = p.spatialCells * p.spatialCells * d
        var out = [Float](repeating: 0, count: trajectories.count * groups * perStep)
        var step = [Double](repeating: 0, count: perStep)
        out.withUnsafeMutableBufferPointer { out in
            step.withUnsafeMutableBufferPointer { step in
                // Step-major: each output value still receives its steps in order t = 0, 1, ….
                for t in 0..<(groups * stepsPerGroup) {
                    let integral = integrals[t]
                    for n in 0..<trajectories.count {
                        let point = trajectories.position(n, step: t)
                        let x0 = min(max(Int(point.x.rounded()) - p.patchSize / 2, 0), first.width - p.patchSize)
                        let y0 = min(max(Int(point.y.rounded()) - p.patchSize / 2, 0), first.height - p.patchSize)
                        var k = 0
                        for cx in 0..<p.spatialCells {
                            for cy in 0..<p.spatialCells {
                                integral.histogram(x: x0 + cx * cell, y: y0 + cy * cell, width: cell, height: cell, into: step.baseAddress! + k)
                                k += d
                            }
                        }
                        normalize(step)
                        let base = (n * groups + t / stepsPerGroup) * perStep
                        for i in 0..<perStep { out[base + i] += Float(step[i] / Double(stepsPerGroup)) }
                    }
                }
            }
        }
        return out
    }

    private func normalize(_ v: UnsafeMutableBufferPointer<Double>) {
        guard case .rootSIFT(let epsilon) = parameters.normalization else { return }
        var sum = 0.0
        for i in v.indices {
            v[i] = max(v[i], 0) + Double(epsilon)
            sum += v[i]
        }
        guard sum > 0 else { return }
        for i in v.indices { v[i] = (v[i] / sum).squareRoot() }
    }
}

extension TrajectorySet {
    /// MME's shape features (Eq. 5), `z^s = (HOG(p_t), …, HOG(p_{t+L−1}))`: for each trajectory and
    /// step, the `bins`-bin unsigned gradient histogram of the `cell × cell` window at the tracked
    /// point, `[count][L][bins]` (unnormalised; MME standardises the K trajectories of a patch
    /// together). `frames[t]` is frame `startFrame + t`; the first L are used.
    public func alignedHOG(frames: [Image], cell: Int = 8, bins: Int = 9) throws(MotionError) -> [Float] {
        guard frames.count >= length else {
            throw MotionError("trajectory-aligned HOG", .invalidParameter("\(frames.count) frames for L = \(length)"))
        }
        let integrals = try frames.prefix(length).map { (frame) throws(MotionError) in
            try IntegralHistogram(gradientsOf: frame, bins: bins, fullCircle: false)
        }
        return try TrajectoryDescriptor(.mme(cell: cell)).describe(self, integrals: integrals)
    }
}
