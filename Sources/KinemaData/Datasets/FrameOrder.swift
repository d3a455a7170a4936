/// The order in which a clip's sampled frames reach the model: the frame-order control of a motion
/// benchmark. A classifier trained and tested on ``shuffled`` clips cannot know which frame came
/// first, so on classes that differ only in temporal order (left/right, approach/recede,
/// clockwise/counter-clockwise) it must be at chance; if it is not, appearance gives the order away.
public enum FrameOrder: String, Sendable, Codable, CaseIterable {
    /// As sampled, first to last.
    case natural
    /// Last to first (every clip, training and test).
    case reversed
    /// A uniformly random permutation of the clip's frames, drawn anew for every clip.
    case shuffled

    /// `clip` in this order; `shuffled` draws its permutation from `generator` (nothing is drawn
    /// for the other orders, so a natural run's random stream is unchanged).
    public func apply<G: RandomNumberGenerator>(to clip: [Int], using generator: inout G) -> [Int] {
        switch self {
        case .natural: clip
        case .reversed: clip.reversed()
        case .shuffled: clip.shuffled(using: &generator)
        }
    }
}
