// The label-noise control (issue 9, item 5): the same clips as MoSI, but every clip's training
// label is redrawn uniformly over the classes, independently of the motion rendered. A backbone
// pretrained this way has seen the same pixels, schedule and optimiser, yet cannot have learned
// motion; comparing it with MoSI separates "learned motion" from "any pretraining initialises well".

/// What each clip is labelled with.
public enum MoSILabels: String, Sendable, Equatable, CaseIterable {
    /// The class of the motion rendered (MoSI).
    case motion
    /// A class drawn uniformly per clip from a stream of its own, independent of the motion: the
    /// clips are byte for byte those of `motion` with the same seed.
    case random
}

extension MoSIGroup {
    /// The group with every sample's label drawn uniformly from `0 ..< classes` (motion unchanged).
    func withRandomLabels<G: RandomNumberGenerator>(classes: Int, using generator: inout G) -> MoSIGroup {
        MoSIGroup(samples: samples.map { $0.relabelled(Int.random(in: 0..<classes, using: &generator)) })
    }
}

extension MoSISample {
    /// The same clip with another target class.
    func relabelled(_ label: Int) -> MoSISample {
        MoSISample(
            label: label, speed: speed, frameCount: frameCount, cropSize: cropSize, standardSize: standardSize,
            resizedWidth: resizedWidth, resizedHeight: resizedHeight, squareX: squareX, squareY: squareY, startX: startX,
            startY: startY, distanceX: distanceX, distanceY: distanceY, color: color, flipped: flipped, mask: mask)
    }
}
