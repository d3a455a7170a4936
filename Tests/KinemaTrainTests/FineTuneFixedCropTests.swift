import KinemaData
import KinemaTrain
import Testing

@Test func theFixedCropKeepsTheScaleOfTheDecodedFrame() {
    // configs/finetune/tiny_cpu_v2.yaml: 72² frames, 64² crops. Every crop is 64² (so the resize to
    // 64² is the identity and apparent speeds stay as rendered) and every place 0...8 occurs.
    var data = FineTuneDataSettings()
    (data.crop, data.cropSize, data.decodeShortSide, data.flip, data.colorJitter) = ("fixed", 64, 72, false, false)
    var generator = SeededGenerator(seed: 1, index: 0)
    var places = Set<Int>()
    for _ in 0..<400 {
        let transform = data.augmentation.sample(width: 72, height: 72, using: &generator)
        #expect(transform.crop.width == 64 && transform.crop.height == 64 && transform.outputSize == 64)
        places.insert(transform.crop.x)
    }
    #expect(places == Set(0...8))
    // A crop larger than the decoded frame is refused with a reason.
    data.decodeShortSide = 60
    var problems = ConfigProblems()
    data.validate(&problems)
    #expect(problems.messages.contains { $0.contains("fixed needs decodeShortSide") })
}
