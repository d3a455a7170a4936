import KinemaNN

/// What CGM-Net does to the raw decoder output before a motion map filters a frame. The paper
/// does not say (§3.2 defines a map only through Eq. 1); Kinema offers both readings and leaves
/// the choice to measurement: ``softmax`` is the default for now, and the caller will fix the
/// default once the two have been compared on real clips.
public enum FilterNormalization: String, Sendable, Codable, CaseIterable {
    /// A softmax over each pixel's `k²` taps: every filter is a convex combination of the
    /// neighbours, so a synthesised frame stays within the input's range (as in adaptive
    /// convolution for frame interpolation, Niklaus et al. 2017), but no filter can change the
    /// brightness.
    case softmax
    /// The raw taps, unconstrained: a filter may brighten, darken or sharpen (the paper's remark
    /// that maps "synthesize novel pixel values to address subtle brightness changes").
    case none

    /// `maps` with the taps along `dimension` normalised.
    public func callAsFunction(_ maps: Tensor, dimension: Int) -> Tensor {
        switch self {
        case .softmax: maps.softmax(dim: dimension)
        case .none: maps
        }
    }
}
