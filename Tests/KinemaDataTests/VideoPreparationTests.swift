import KinemaData
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
