// The pseudo-camera path of one axis (MoSI §3.1, Eq. 2), in the official generator's arithmetic
// (TAdaConv `MoSIGenerator.get_crop_params` and the `linspace(...).long().clamp_(...)` that follows;
// docs/reference-implementations.md §1.4), so that the windows match it pixel for pixel. Shared by the sampler (the
// distance and the start range) and the renderer (the per-frame offsets).

/// One axis of a square source of side `side` with an `L = crop` window.
public struct MoSIAxis: Sendable, Equatable {
    public let side: Int
    public let crop: Int

    public init(side: Int, crop: Int) {
        self.side = side
        self.crop = crop
    }

    /// How far the window can travel: `side − crop` (the `W − L` of Eq. 2).
    public var travel: Int { side - crop }

    /// Eq. 2: `D = (side − L) · speed / K`, times the distance-jitter factor (1 without jitter), in
    /// the official evaluation order `((side − L) · (speed / K)) · factor`.
    public func distance(speed: Int, speedsPerDirection k: Int, factor: Double = 1) -> Double {
        Double(travel) * (Double(speed) / Double(k)) * factor
    }

    /// Training starts: every integer start whose path `start … start + distance` stays inside the
    /// source (the official bounds `int(max(0, −D)) … int(min(side − L, side − L − D))`).
    public func startRange(distance: Double) -> ClosedRange<Int> {
        Int(max(0, -distance))...Int(min(Double(travel), Double(travel) - distance))
    }

    /// Validation start: the path centred, `(side − L − D) // 2` (floor, as Python's `//` on floats).
    public func centredStart(distance: Double) -> Int {
        Int(((Double(travel) - distance) / 2).rounded(.down))
    }

    /// The window offset in each of `frames` frames: `frames` points spaced uniformly from `start`
    /// to `start + distance` as `torch.linspace` computes them in Float32 on the CPU (each half
    /// counted from its own end, with a fused multiply-add), truncated toward zero (`.long()`)
    /// and clamped to `0 … side − L`.
    public func offsets(start: Int, distance: Double, frames: Int) -> [Int] {
        precondition(frames >= 1, "a path needs at least one frame")
        let first = Float(Double(start))
        if frames == 1 { return [clamped(first)] }
        let last = Float(Double(start) + distance)
        let step = (last - first) / Float(frames - 1)
        return (0..<frames).map { i in
            let value = i < frames / 2
                ? first.addingProduct(step, Float(i))
                : last.addingProduct(-step, Float(frames - 1 - i))
            return clamped(value)
        }
    }

    private func clamped(_ value: Float) -> Int { min(max(Int(value), 0), travel) }
}
