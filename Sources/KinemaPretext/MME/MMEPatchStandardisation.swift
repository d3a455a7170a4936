/// The per-token standardisation both MME normalisations are made of: a group of a token's values
/// becomes `(v − mean) / (√var_unbiased + 1e-6)` (VideoMAE's patch norm, which MME's code derives
/// from; statistics in double precision). A group whose standard deviation is below `floor` (or
/// that holds one value) becomes 0.
enum MMEPatchStandardisation {
    /// The floor for position changes (clip pixels). Displacements are differences of float32
    /// positions (rounding ≈ 1e-5 px at 224 px), so the K points of a rigidly moving patch differ by
    /// rounding alone, which `1e-6` would blow up to ±1: the released code stores whole-pixel
    /// int8 displacements, where they are exactly equal and its targets exactly 0. 1e-3 px is far
    /// below any flow estimator's accuracy (≥ 0.05 px), so it only catches that rounding.
    static let positionFloor = 1e-3

    /// Standardises `values[i]` for the `i` in `group`; returns how to undo it.
    @discardableResult
    static func standardise(_ values: inout [Float], _ group: StrideTo<Int>, floor: Double) -> MMETrajectoryScaling.Group {
        var (count, sum) = (0.0, 0.0)
        for i in group {
            count += 1
            sum += Double(values[i])
        }
        guard count > 0 else { return .init(mean: 0, scale: 1) }
        let mean = sum / count
        var squares = 0.0
        for i in group { squares += (Double(values[i]) - mean) * (Double(values[i]) - mean) }
        let deviation = count > 1 ? (squares / (count - 1)).squareRoot() : 0
        let rigid = count < 2 || deviation < floor
        for i in group { values[i] = rigid ? 0 : Float((Double(values[i]) - mean) / (deviation + 1e-6)) }
        // A rigid group's values all were its mean (to within the floor): scale 0 gives them back.
        return .init(mean: Float(mean), scale: rigid ? 0 : Float(deviation + 1e-6))
    }

    /// The paper's patch norm (§4.2.3): each token's `channels` values as one group; one
    /// ``MMETrajectoryScaling/Group`` per token.
    @discardableResult
    static func patchNorm(_ values: inout [Float], channels: Int, floor: Double) -> [MMETrajectoryScaling.Group] {
        stride(from: 0, to: values.count, by: channels).map { start in
            standardise(&values, stride(from: start, to: start + channels, by: 1), floor: floor)
        }
    }

    /// The released `PatchStd`: in each token's `[K][perPoint]` values, every one of the
    /// `perPoint` (coordinate, step) positions standardised over the K points; `perPoint` groups
    /// per token.
    static func perPosition(_ values: inout [Float], channels: Int, perPoint: Int, floor: Double) -> [MMETrajectoryScaling.Group] {
        stride(from: 0, to: values.count, by: channels).flatMap { start in
            (0..<perPoint).map { j in standardise(&values, stride(from: start + j, to: start + channels, by: perPoint), floor: floor) }
        }
    }
}
