import Foundation
import KinemaVideo

/// The images a motion benchmark is made of: sprites (objects with alpha) and backgrounds.
///
/// Sprites are premultiplied RGBA cropped to their visible pixels; backgrounds are RGB. Load them
/// from the folder `Tools/data/fetch-benchmark.sh` writes, or pass images directly.
public struct MotionBenchmarkAssets: Sendable {
    public let kind: MotionBenchmarkKind
    /// Photo cut-outs (premultiplied), or nil for Fashion-MNIST, whose garments are made on demand.
    private let cutouts: [Image]?
    private let garments: (train: IDXImages, test: IDXImages)?
    private let spriteNames: [String]
    public let backgrounds: [Image]
    public let backgroundNames: [String]

    /// Photo assets from images in memory: `cutouts` are straight-alpha RGBA (fully transparent ones
    /// are dropped), `backgrounds` any format (converted to RGB).
    public init(cutouts: [(name: String, image: Image)], backgrounds: [(name: String, image: Image)]) throws(MotionBenchmarkError) {
        var sprites: [(String, Image)] = []
        for item in cutouts {
            if let sprite = AlphaCompositing.premultipliedSprite(try Self.converted(item.image, to: .rgba)) {
                sprites.append((item.name, sprite))
            }
        }
        guard !sprites.isEmpty else { throw MotionBenchmarkError("no cut-out has a visible pixel") }
        guard !backgrounds.isEmpty else { throw MotionBenchmarkError("photo benchmarks need at least one background") }
        kind = .photos
        (self.cutouts, garments, spriteNames) = (sprites.map(\.1), nil, sprites.map(\.0))
        var rgbBackgrounds: [Image] = []
        for item in backgrounds { rgbBackgrounds.append(try Self.converted(item.image, to: .rgb)) }
        self.backgrounds = rgbBackgrounds
        backgroundNames = backgrounds.map(\.name)
    }

    /// Fashion-MNIST assets: garments of `train` serve the train split, those of `test` the test split.
    public init(garments train: IDXImages, test: IDXImages) throws(MotionBenchmarkError) {
        guard train.count > 0, test.count > 0 else { throw MotionBenchmarkError("both IDX files need at least one image") }
        kind = .fashionMNIST
        (cutouts, garments, backgrounds, backgroundNames) = (nil, (train, test), [], [])
        spriteNames = (0..<train.count).map { "train-\($0)" } + (0..<test.count).map { "t10k-\($0)" }
    }

    /// The folder layout `Tools/data/fetch-benchmark.sh` writes under `.deps/data/benchmark`.
    public static let cutoutFolder = "cutouts"
    public static let backgroundFolder = "backgrounds"
    public static let garmentFiles = (train: "fashion-mnist/train-images-idx3-ubyte", test: "fashion-mnist/t10k-images-idx3-ubyte")

    /// Loads the assets of `kind` from `folder`. Backgrounds larger than needed are shrunk once here
    /// (short side 4 × `frameSize`) so that each clip resizes a small image.
    public static func load(
        from folder: URL, kind: MotionBenchmarkKind, frameSize: Int, threads: Int = 1
    ) throws(MotionBenchmarkError) -> MotionBenchmarkAssets {
        let hint = "run `Tools/data/fetch-benchmark.sh` (or `make benchmark-data`) to download them, or pass --assets"
        switch kind {
        case .fashionMNIST:
            let (train, test) = (folder.appendingPathComponent(garmentFiles.train), folder.appendingPathComponent(garmentFiles.test))
            for file in [train, test] where !FileManager.default.fileExists(atPath: file.path) {
                throw MotionBenchmarkError("missing Fashion-MNIST images \(file.path); \(hint)")
            }
            return try MotionBenchmarkAssets(garments: try IDXImages(contentsOf: train), test: try IDXImages(contentsOf: test))
        case .photos:
            let cutouts: [(String, Image)], backgrounds: [(String, Image)]
            do {
                cutouts = try loadImages(in: folder.appendingPathComponent(cutoutFolder), format: .rgba, threads: threads) { $0 }
                backgrounds = try loadImages(in: folder.appendingPathComponent(backgroundFolder), format: .rgb, threads: threads) {
                    let shortSide = min($0.width, $0.height)
                    return shortSide > 4 * frameSize ? try $0.resized(shortSide: 4 * frameSize) : $0
                }
            } catch let error as VideoError {
                if case .missing = error.reason { throw MotionBenchmarkError("missing asset folder \(error.path); \(hint)") }
                if case .noFrames = error.reason { throw MotionBenchmarkError("\(error.path) holds no PNG/JPEG images; \(hint)") }
                throw MotionBenchmarkError("cannot load the assets: \(error)")
            } catch {
                throw MotionBenchmarkError("cannot load the assets: \(error)")
            }
            return try MotionBenchmarkAssets(cutouts: cutouts, backgrounds: backgrounds)
        }
    }

    /// `image` in `format`; OpenCV's failure (out of memory) becomes a benchmark error.
    private static func converted(_ image: Image, to format: PixelFormat) throws(MotionBenchmarkError) -> Image {
        do { return try image.converted(to: format) } catch { throw MotionBenchmarkError("cannot convert an image to \(format): \(error)") }
    }

    /// Every image in `folder` (sorted by name), decoded on `threads` threads and passed through `prepare`.
    private static func loadImages(
        in folder: URL, format: PixelFormat, threads: Int, prepare: @Sendable @escaping (Image) throws -> Image
    ) throws -> [(String, Image)] {
        let files = try ImageFolderSource(folder).files
        let images = try parallelMap(files.count, threads: threads) { try prepare(try Image(contentsOf: files[$0], format: format)) }
        return zip(files.map { $0.deletingPathExtension().lastPathComponent }, images).map { ($0, $1) }
    }

    /// The number of sprites; indices run over `0 ..< spriteCount`.
    public var spriteCount: Int { spriteNames.count }

    /// Sprite `index`: premultiplied RGBA, cropped to its visible pixels.
    public func sprite(_ index: Int) -> Image {
        if let cutouts { return cutouts[index] }
        let (train, test) = garments!
        let garment = index < train.count ? train.image(index) : test.image(index - train.count)
        // An all-black garment (none in Fashion-MNIST) would vanish: draw it as one black pixel.
        return AlphaCompositing.luminanceSprite(garment) ?? Image(width: 1, height: 1, format: .rgba, filledWith: [0, 0, 0, 255])
    }

    public func spriteName(_ index: Int) -> String { spriteNames[index] }

    /// The pools each split draws from. Fashion-MNIST keeps its own split (train images for train
    /// clips, t10k images for test clips); photo cut-outs and backgrounds are shuffled with `seed`
    /// and 7/25 of each kept for testing.
    public func pools(seed: UInt64) -> MotionBenchmarkPools {
        let sizes = backgrounds.map { MotionBenchmarkPools.Size(width: $0.width, height: $0.height) }
        if let garments {
            let (train, test) = garments
            return MotionBenchmarkPools(
                train: .init(sprites: Array(0..<train.count), backgrounds: []),
                test: .init(sprites: Array(train.count..<(train.count + test.count)), backgrounds: []), backgroundSizes: sizes)
        }
        // A generator of its own (index −1 is no clip's), so the clips' draws do not depend on it.
        var generator = SeededGenerator(seed: seed, index: -1)
        let sprites = MotionBenchmarkPools.partition(spriteCount, using: &generator)
        let scenes = MotionBenchmarkPools.partition(backgrounds.count, using: &generator)
        return MotionBenchmarkPools(
            train: .init(sprites: sprites.train, backgrounds: scenes.train),
            test: .init(sprites: sprites.test, backgrounds: scenes.test), backgroundSizes: sizes)
    }
}
