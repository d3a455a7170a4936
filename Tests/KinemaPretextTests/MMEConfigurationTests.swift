import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaMotion
import KinemaPretext
import KinemaTensor
import KinemaVideo
import Testing

/// The configuration's checks and layout arithmetic, bad inputs, and batching to tensors.
@Suite struct MMEConfigurationTests {
    @Test func validationNamesEveryBadValue() throws {
        var c = MMETargetConfiguration()
        c.pointsPerPatch = 3
        c.length = 0
        c.flow = "raft"
        c.hogBins = 0
        do {
            try c.validate()
            Issue.record("accepted a bad configuration")
        } catch {
            for name in ["pointsPerPatch", "length", "flow must be one of", "'raft'", "hogBins"] {
                #expect(error.description.contains(name), "\(error.description) does not name \(name)")
            }
        }
        var single = MMETargetConfiguration.released
        single.pointsPerPatch = 1
        #expect(throws: MMETargetError.self) { try single.validate() }
        try MMETargetConfiguration().validate()
        try MMETargetConfiguration.released.validate()
    }

    @Test func configurationRoundTripsThroughJSONAndCountsItsChannels() throws {
        let c = MMETargetConfiguration.released
        #expect(try JSONDecoder().decode(MMETargetConfiguration.self, from: JSONEncoder().encode(c)) == c)
        let paper = MMETargetConfiguration()
        #expect(paper.trajectoryChannels == 4 * 6 * 2 && paper.hogChannels == 4 * 6 * 9 && paper.gridStep == 8)
        #expect(c.trajectoryChannels == 32 && c.hogChannels == 108, "the released K400 run's 32 + 108 values per token")
        // 16 frames at stride 4: the last tubelet starts on raw frame 56 and needs L = 6 more.
        #expect(paper.rawFramesNeeded(clipFrames: 16, stride: 4) == 63)
        #expect(c.rawFramesNeeded(clipFrames: 16, stride: 4) == 61, "L = 4: the clip's own last frame, 60, is the limit")
    }

    @Test func badInputsThrowSayingWhatIsWrong() throws {
        let frames = Array(repeating: Image(width: 64, height: 48, format: .rgb, pixels: [UInt8](repeating: 0, count: 64 * 48 * 3)), count: 5)
        let computer = try MMETargetComputer(MMEFixtures.configuration(), flow: KnownFlow { x, y in (x, y) })
        func message(_ transform: ClipTransform, frames: [Image] = frames, clip: Int = 4) -> String {
            do {
                _ = try computer.targets(rawFrames: frames, clipFrames: clip, stride: 1, transform: transform)
                return ""
            } catch { return error.description }
        }
        let fine = MMEFixtures.transform(x: 0, y: 0, side: 48, output: 32)
        #expect(message(fine, frames: Array(frames.prefix(5))).contains("needs 6 raw frames"))
        let six = frames + [frames[0]]
        #expect(message(fine, frames: six) == "")
        #expect(message(fine, frames: six, clip: 3).contains("tubelets of 2"))
        #expect(message(MMEFixtures.transform(x: 20, y: 0, side: 48, output: 32), frames: six).contains("not inside"))
        #expect(message(MMEFixtures.transform(x: 0, y: 0, side: 48, output: 40), frames: six).contains("16-px patches"))
        var augmented = fine
        augmented.randAugment = [.rotate(degrees: 10)]
        #expect(message(augmented, frames: six).contains("RandAugment"))
    }

    @Test func clipsBatchToTokenMajorTensors() throws {
        let frames = try MMEFixtures.frames(6, photo: try TestData.photo("coffee", width: 160, height: 120),
                                            step: KnownMotion.translation(1, 0), origin: KnownMotion.translation(0, 0), width: 80, height: 64)
        let computer = try MMETargetComputer(MMEFixtures.configuration(), flow: KnownFlow { x, y in (x + 1, y) })
        let clips = try [0, 16].map { x in
            try computer.targets(rawFrames: frames, clipFrames: 4, stride: 1, transform: MMEFixtures.transform(x: x, y: 0, side: 64, output: 32))
        }
        let batch = try MMETargetBatch(clips)
        #expect(batch.trajectory.shape == [2, 8, 24] && batch.shape.shape == [2, 8, 108] && batch.valid.shape == [2, 8])
        #expect(batch.trajectory.array(of: Float.self) == clips.flatMap(\.trajectory))
        #expect(batch.valid.array(of: Bool.self) == clips.flatMap(\.valid))
        let other = try MMETargetComputer(MMEFixtures.configuration(length: 2), flow: KnownFlow { x, y in (x, y) })
            .targets(rawFrames: frames, clipFrames: 4, stride: 1, transform: MMEFixtures.transform(x: 0, y: 0, side: 64, output: 32))
        #expect(throws: MMETargetError.self) { try MMETargetBatch([clips[0], other]) }
    }
}
