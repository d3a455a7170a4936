import KinemaData
import KinemaMediaTestSupport
import KinemaVideo
import Testing

@Test func preparedSizesKeepTheAspectRatioWithEvenSidesAndNeverEnlarge() {
    let preparation = VideoPreparation(shortSide: 128)
    #expect(preparation.outputSize(width: 768, height: 576) == (170, 128))  // 170.7: the nearest even side
    #expect(preparation.outputSize(width: 640, height: 272) == (302, 128))  // 301.2
    #expect(preparation.outputSize(width: 1080, height: 1920) == (128, 228))  // portrait: 227.6
    #expect(preparation.outputSize(width: 176, height: 144) == (156, 128))
    #expect(preparation.outputSize(width: 63, height: 47) == (62, 46))  // below the short side: its own size, even
    #expect(preparation.outputSize(width: 129, height: 129) == (128, 128))
    #expect(VideoPreparation(shortSide: 256).outputSize(width: 1920, height: 1080) == (456, 256))  // 455.1
}

@Test func aPreparedUCF101CopyReadsWithTheOriginalSplitFiles() throws {
    let folder = TemporaryFolder()
    try TinyMotionVideos.write(to: folder.url)
    let prepared = folder.file("prepared")
    let summary = try VideoPreparation(shortSide: 32).run(source: folder.file("videos"), output: prepared, threads: 2)
    #expect(summary.prepared == 27 && summary.failed.isEmpty, "\(summary.failed)")
    // The split files name .avi videos; the copies are .mp4.
    let dataset = try VideoDataset.ucf101(videos: prepared, splits: folder.file("splits"), subset: .train)
    #expect(dataset.count == 18 && dataset.problems.isEmpty)
    #expect(dataset.items.allSatisfy { $0.url.pathExtension == "mp4" })
    let reader = try VideoReader(dataset.items[0].url)
    #expect(reader.metadata.width == 32 && reader.metadata.height == 32 && reader.metadata.frameCount == TinyMotionVideos.frames)
}
