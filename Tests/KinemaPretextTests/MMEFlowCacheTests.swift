import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaVideo
import Testing

/// ``MMEFlowCache``: targets from cached whole-frame flow against targets on the fly, and entries
/// that are corrupt, stale or missing.
///
/// Tolerance: none. The cache stores float16 flow and cuts the crop out of the whole frame's field;
/// with a translation whose components float16 holds exactly (1.5, −0.75) and a flow that does not
/// depend on what lies outside the crop, both differences vanish, so the targets must be equal to
/// the bit. (With estimated flow they differ at the crop's border, where the estimator sees more of
/// the frame; docs/benchmarks.md gives the measured difference.)
@Suite struct MMEFlowCacheTests {
    static let photo = try! TestData.photo("astronaut", width: 400, height: 400)
    static let (dx, dy) = (1.5, -0.75)
    static let (clipFrames, stride) = (4, 1)

    let folder = TemporaryFolder()

    func fixture() throws -> (frames: [Image], video: URL, cache: MMEFlowCache, configuration: MMETargetConfiguration) {
        let frames = try MMEFixtures.frames(8, photo: Self.photo, step: KnownMotion.translation(Self.dx, Self.dy),
            origin: KnownMotion.translation(-100, -120), width: 160, height: 120)
        let video = folder.file("class/clip.avi")
        try FileManager.default.createDirectory(at: video.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("stand-in for a video file".utf8).write(to: video)
        let configuration = MMEFixtures.configuration()
        return (frames, video, MMEFlowCache(folder: folder.file("cache"), configuration: configuration), configuration)
    }

    var translation: KnownFlow { KnownFlow { x, y in (x + Self.dx, y + Self.dy) } }

    @Test(arguments: [false, true])
    func targetsFromTheCacheEqualTargetsOnTheFly(flip: Bool) throws {
        let (frames, video, cache, configuration) = try fixture()
        try cache.extract(video: video, frames: frames, flow: translation)
        #expect(cache.isComplete(video: video, width: 160, height: 120))
        let transform = MMEFixtures.transform(x: 24, y: 8, side: 96, output: 64, flip: flip)
        // A span starting on frame 2 of the video (as a sampled clip would).
        let span = Array(frames[2..<8]), indices = Array(2..<8)
        let flows = try cache.flows(video: video, indices: indices, width: 160, height: 120)
        let cached = try MMETargetComputer(configuration, flow: translation).targets(
            rawFrames: span, clipFrames: Self.clipFrames, stride: Self.stride, transform: transform, wholeFrameFlows: flows)
        // On the fly the estimator sees the mirrored crop, which moves by (−dx, dy).
        let mirrored = KnownFlow { x, y in (x + (flip ? -Self.dx : Self.dx), y + Self.dy) }
        let onTheFly = try MMETargetComputer(configuration, flow: mirrored).targets(
            rawFrames: span, clipFrames: Self.clipFrames, stride: Self.stride, transform: transform)
        #expect(cached.trajectory == onTheFly.trajectory && cached.shape == onTheFly.shape && cached.valid == onTheFly.valid
                && cached.tracks == onTheFly.tracks, "the cached targets differ from the on-the-fly ones")
        #expect(cached.trajectory.contains { $0 != 0 }, "the paper's patch norm keeps a translation's target")
    }

    @Test func aSpanPastTheEndReadsZeroFlowBetweenTheRepeatedFrames() throws {
        let (frames, video, cache, _) = try fixture()
        try cache.extract(video: video, frames: frames, flow: translation)
        let flows = try cache.flows(video: video, indices: [5, 6, 7, 7, 7], width: 160, height: 120)
        #expect(flows.count == 4)
        #expect(flows[0].vectors.allSatisfy { $0 == Float(Self.dx) || $0 == Float(Self.dy) })
        #expect(flows[2].vectors.allSatisfy { $0 == 0 } && flows[3].vectors.allSatisfy { $0 == 0 })
    }

    @Test func aCorruptEntryIsReportedNeverReadAsZero() throws {
        let (frames, video, cache, _) = try fixture()
        try cache.extract(video: video, frames: frames, flow: translation)
        let url = cache.entry(for: video)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 100] ^= 0x40  // a bit of the last field's payload
        try bytes.write(to: url)
        #expect(!cache.isComplete(video: video, width: 160, height: 120))
        #expect(throws: MMETargetError.self) { try cache.flows(video: video, indices: Array(0..<8), width: 160, height: 120) }
        // Fields before the damaged one still check out: a span that does not read it is served.
        #expect(try cache.flows(video: video, indices: Array(0..<4), width: 160, height: 120).count == 3)
        try Data(bytes.prefix(bytes.count / 2)).write(to: url)
        #expect(throws: MMETargetError.self) { try cache.flows(video: video, indices: Array(0..<4), width: 160, height: 120) }
    }

    @Test func aStaleOrMissingEntryIsReported() throws {
        let (frames, video, cache, configuration) = try fixture()
        #expect(throws: MMETargetError.self) { try cache.flows(video: video, indices: [0, 1], width: 160, height: 120) }
        try cache.extract(video: video, frames: frames, flow: translation)
        var other = configuration
        other.flow = "dis-fast"
        let stale = MMEFlowCache(folder: cache.folder, configuration: other)
        #expect(!stale.isComplete(video: video, width: 160, height: 120))
        #expect(throws: MMETargetError.self) { try stale.flows(video: video, indices: [0, 1], width: 160, height: 120) }
        #expect(throws: MMETargetError.self) { try cache.flows(video: video, indices: [0, 1], width: 80, height: 60) }
        try Data("a changed source video".utf8).write(to: video)
        #expect(!cache.isComplete(video: video, width: 160, height: 120))
    }
}
