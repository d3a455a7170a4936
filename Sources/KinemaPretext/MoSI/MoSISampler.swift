// The random half of the MoSI generator (docs/architecture-notes.md, "Randomness"): it draws every parameter of a clip
// (standardisation crop, path start and distance jitter, colour, flip, static mask) from an
// injected generator, in the official distributions (TAdaConv `MoSIGenerator`,
// docs/reference-implementations.md §1.3–1.6); ``MoSIRenderer`` does the rest deterministically.

/// Draws ``MoSISample``s.
public struct MoSISampler: Sendable {
    public let config: MoSIConfig

    /// Throws when the configuration cannot work (``MoSIConfig/validate()``).
    public init(_ config: MoSIConfig = MoSIConfig()) throws(MoSIError) {
        try config.validate()
        self.config = config
    }

    /// The size a `width × height` source is resized to: short side Ls, long side
    /// `int(Ls / short · long)` as the official code truncates it — but never below Ls, where
    /// floating point would give Ls − 1 (e.g. a 77 × 77 source) and the official crop would fail.
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let ls = config.standardSize
        func long(_ short: Int, _ long: Int) -> Int { max(ls, Int(Double(ls) / Double(short) * Double(long))) }
        return height <= width ? (long(height, width), ls) : (ls, long(width, height))
    }

    /// One clip per label, in label order, for a `sourceWidth × sourceHeight` source image.
    public func sampleGroup<G: RandomNumberGenerator>(
        sourceWidth: Int, sourceHeight: Int, using generator: inout G
    ) -> MoSIGroup {
        MoSIGroup(samples: (0..<config.labelPool.count).map { label in
            sample(label: label, sourceWidth: sourceWidth, sourceHeight: sourceHeight, using: &generator)
        })
    }

    /// The clip of class `label` for a `sourceWidth × sourceHeight` source image.
    public func sample<G: RandomNumberGenerator>(
        label: Int, sourceWidth: Int, sourceHeight: Int, using generator: inout G
    ) -> MoSISample {
        let pool = config.labelPool
        precondition(pool.speeds.indices.contains(label), "label \(label) is outside the \(pool.count)-class pool")
        precondition(sourceWidth > 0 && sourceHeight > 0, "source size must be positive")
        let (n, l, ls) = (config.frameCount, config.cropSize, config.standardSize)
        let resized = resizedSize(width: sourceWidth, height: sourceHeight)
        let squareY = Int.random(in: 0...(resized.height - ls), using: &generator)
        let squareX = Int.random(in: 0...(resized.width - ls), using: &generator)

        // The flip is drawn first so that, with the label swap, the window makes the mirrored motion
        // and the flipped clip shows the label's own motion: every group keeps all C_T labels.
        let flipped = config.flip != .none && Bool.random(using: &generator)
        let shown = pool.speeds[label]
        let speed = flipped && config.flip == .flipWithLabelSwap ? shown.mirrored : shown

        let axis = MoSIAxis(side: ls, crop: l)
        let (startX, distanceX) = path(axis, speed: speed.x, using: &generator)
        let (startY, distanceY) = path(axis, speed: speed.y, using: &generator)
        let color = config.colorJitter.sample(frames: n, using: &generator)
        return MoSISample(
            label: label, speed: speed, frameCount: n, cropSize: l, standardSize: ls,
            resizedWidth: resized.width, resizedHeight: resized.height, squareX: squareX, squareY: squareY,
            startX: startX, startY: startY, distanceX: distanceX, distanceY: distanceY, color: color,
            flipped: flipped, mask: mask(using: &generator))
    }

    /// Start and distance on one axis: Eq. 2 with the distance jitter and a random start (train), or
    /// the plain distance with the path centred (validation).
    private func path<G: RandomNumberGenerator>(
        _ axis: MoSIAxis, speed: Int, using generator: inout G
    ) -> (start: Int, distance: Double) {
        let k = config.labelPool.speedsPerDirection
        switch config.split {
        case .validation:
            let distance = axis.distance(speed: speed, speedsPerDirection: k)
            return (axis.centredStart(distance: distance), distance)
        case .train:
            let jitter = config.distanceJitter
            // Full-speed paths already span the whole square: their factor stays ≤ 1.
            let factors = abs(speed) < k ? jitter : jitter.lowerBound...1
            let factor = Double.random(in: factors, using: &generator)
            let distance = axis.distance(speed: speed, speedsPerDirection: k, factor: factor)
            return (Int.random(in: axis.startRange(distance: distance), using: &generator), distance)
        }
    }

    private func mask<G: RandomNumberGenerator>(using generator: inout G) -> MoSIMask? {
        let ratio: Double
        switch config.staticMask {
        case .none: return nil
        case .randomRatio(let range): ratio = Double.random(in: range, using: &generator)
        case .fixedRatio(let r): ratio = r
        }
        let (n, l) = (config.frameCount, config.cropSize)
        let side = Int(Double(l) * ratio)
        return MoSIMask(
            x: Int.random(in: 0...(l - side), using: &generator), y: Int.random(in: 0...(l - side), using: &generator),
            width: side, height: side, backgroundFrame: Int.random(in: 0..<n, using: &generator))
    }
}
