import KinemaVideo

/// Some of a source's items, e.g. the images held out for validation.
public struct SourceSubset<Base: StillImageSource>: StillImageSource {
    public let base: Base
    /// Indices into `base`.
    public let indices: [Int]

    public init(_ base: Base, indices: [Int]) {
        precondition(indices.allSatisfy { (0..<base.count).contains($0) }, "subset indices outside 0..<\(base.count)")
        self.base = base
        self.indices = indices
    }

    /// The first `count` items and the rest (a deterministic train/validation split).
    public static func split(_ base: Base, first count: Int) -> (first: SourceSubset, rest: SourceSubset) {
        let cut = min(max(count, 0), base.count)
        return (SourceSubset(base, indices: Array(0..<cut)), SourceSubset(base, indices: Array(cut..<base.count)))
    }

    public var count: Int { indices.count }

    public func image<G: RandomNumberGenerator>(at index: Int, using generator: inout G) throws(VideoError) -> Image {
        try base.image(at: indices[index], using: &generator)
    }
}
