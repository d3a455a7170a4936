import KinemaVideo

/// Where source images for image-based pretext tasks (MoSI) come from: a collection of still
/// images, or videos seen through one frame each. Items are numbered `0 ..< count`.
///
/// Sources are values that can be shared between loader threads; each call opens and decodes what
/// it needs, so calls for different items run in parallel.
public protocol StillImageSource: Sendable {
    /// The number of items.
    var count: Int { get }

    /// Item `index` as an RGB image. `generator` draws whatever is random about it (which frame of
    /// a video): seed it per epoch and item (``SeededGenerator/init(seed:index:)``) to draw a new
    /// frame every epoch and the same one whenever that epoch is repeated.
    func image<G: RandomNumberGenerator>(at index: Int, using generator: inout G) throws(VideoError) -> Image
}

extension StillImageSource {
    /// A clear error for an item number outside `0 ..< count`.
    func checkIndex(_ index: Int, name: String) throws(VideoError) {
        guard index >= 0 && index < count else {
            throw VideoError(path: name, reason: .invalidArgument("item \(index) is outside 0..<\(count)"))
        }
    }
}
