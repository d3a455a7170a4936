/// What the sampler needs to know about the assets: which sprites and backgrounds each split may
/// use, and the backgrounds' sizes.
///
/// Train and test draw from disjoint pools whenever there are at least two items to split, so the
/// test clips show objects and scenes never seen in training: a classifier must recognise the
/// motion, not memorise the pictures.
public struct MotionBenchmarkPools: Sendable, Equatable {
    public struct Side: Sendable, Equatable {
        public var sprites: [Int]
        public var backgrounds: [Int]

        public init(sprites: [Int], backgrounds: [Int]) { (self.sprites, self.backgrounds) = (sprites, backgrounds) }
    }

    public var train: Side
    public var test: Side
    /// `(width, height)` of every background, by index.
    public var backgroundSizes: [Size]

    public struct Size: Sendable, Equatable {
        public var width: Int
        public var height: Int

        public init(width: Int, height: Int) { (self.width, self.height) = (width, height) }
    }

    public init(train: Side, test: Side, backgroundSizes: [Size]) {
        (self.train, self.test, self.backgroundSizes) = (train, test, backgroundSizes)
    }

    public subscript(split: BenchmarkSplit) -> Side { split == .train ? train : test }

    /// Whether no sprite and no background is shared by train and test.
    public var disjoint: Bool {
        Set(train.sprites).isDisjoint(with: test.sprites) && Set(train.backgrounds).isDisjoint(with: test.backgrounds)
    }

    /// The fraction of items kept for testing: UCF101 split 1's share of test groups (7 of 25).
    static let testFraction = Double(MotionBenchmarkConfig.testGroups.count) / Double(MotionBenchmarkConfig.groups)

    /// `0 ..< count` shuffled and cut into a train and a test part (at least one item each when
    /// there are two or more; a single item serves both).
    static func partition<G: RandomNumberGenerator>(_ count: Int, using generator: inout G) -> (train: [Int], test: [Int]) {
        if count <= 1 { return (Array(0..<count), Array(0..<count)) }
        let order = Array(0..<count).shuffled(using: &generator)
        let tests = min(count - 1, max(1, Int((Double(count) * testFraction).rounded())))
        return (order[tests...].sorted(), order[..<tests].sorted())
    }
}
