import Foundation
import KinemaMediaTestSupport
import KinemaTrain
import KinemaVideo
import Testing

/// CGM-Net's Table 1 protocol on real videos: clips cut from carphone.mp4 at the training
/// geometry, the report's rows and clips, and the errors for missing and too-short videos.
@Suite struct CGMMotionEvaluationTests {
    static func settings(frames: Int, clipsPerVideo: Int? = nil) -> CGMMotionEvaluation.Settings {
        var settings = CGMMotionEvaluation.Settings()
        settings.geometry.frames = frames
        settings.clipsPerVideo = clipsPerVideo
        return settings
    }

    /// A folder of `count` numbered PNG frames (a video the reader accepts).
    static func frameFolder(_ folder: TemporaryFolder, count: Int) throws -> URL {
        let frame = try TestData.photo("astronaut", width: 160, height: 120)
        let url = folder.file("short")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for i in 0..<count { try frame.write(to: url.appendingPathComponent("frame\(i).png")) }
        return url
    }

    @Test func clipsAreConsecutiveCentreCropsAtTheTrainingGeometry() throws {
        let video = try TestData.url("videos/carphone.mp4")
        var reader = try CGMClipReader(video, geometry: .init(frames: 4))
        let first = try #require(try reader.next())
        let second = try #require(try reader.next())
        #expect(first.count == 5 && second.count == 5 && reader.decoded == 10)
        // Frames 5…9 of the video, short side 128 (176x144 → 156x128), centre 112².
        let all = try VideoReader(video, size: .shortSide(128)).frames(at: Array(0..<10))
        #expect(all[0].width == 156 && all[0].height == 128)
        for (k, frame) in second.enumerated() {
            #expect(try frame == all[5 + k].cropped(x: 22, y: 8, width: 112, height: 112), "frame \(5 + k)")
        }
    }

    /// With a stride, a clip takes every stride-th frame and the next clip starts after its span.
    @Test func aStrideTakesEveryNthFrame() throws {
        let video = try TestData.url("videos/carphone.mp4")
        var reader = try CGMClipReader(video, geometry: .init(frames: 2, shortSide: 64, crop: 64, stride: 2))
        let first = try #require(try reader.next())
        let second = try #require(try reader.next())
        #expect(first.count == 3 && second.count == 3 && reader.lastClipStart == 6)
        let all = try VideoReader(video, size: .shortSide(64)).frames(at: Array(0..<12))
        for (k, frame) in (first + second).enumerated() {
            let x = (all[0].width - 64) / 2
            #expect(try frame == all[2 * k].cropped(x: x, y: 0, width: 64, height: 64), "frame \(2 * k)")
        }
        #expect(CGMClipReader.Geometry(stride: 0).problem != nil)
    }

    @Test func theReportHasOneRowPerMethodAndEveryClipsScores() throws {
        let video = try TestData.url("videos/carphone.mp4")
        var calls: [(Int, Int)] = []
        let report = try CGMMotionEvaluation.run(
            videos: [video], methods: [CopyReconstructor(), FlowReconstructor(named: "dis-ultrafast")],
            settings: Self.settings(frames: 4, clipsPerVideo: 3)
        ) { calls.append(($0, $1)) }
        #expect(report.rows.map(\.method) == ["copy", "dis-ultrafast"])
        #expect(report.clips.map(\.firstFrame) == [0, 5, 10])
        #expect(report.videos.map(\.clips) == [3] && report.videos[0].framesRead == 15)
        #expect(calls.map(\.0) == [0, 1, 2, 3] && calls.allSatisfy { $0.1 == 3 }, "\(calls)")
        for row in report.rows {
            #expect(row.clips == 3 && row.l1.low <= row.l1.mean && row.l1.mean <= row.l1.high)
            let l1 = report.clips.map { $0.scores[row.method]!.l1 }
            #expect(abs(row.l1.mean - l1.reduce(0, +) / 3) < 1e-15)
        }
        // The clip's scores are those of scoring it directly.
        var reader = try CGMClipReader(video, geometry: .init(frames: 4))
        let clip = try #require(try reader.next())
        #expect(try report.clips[0].scores["copy"] == CGMMotionEvaluation.score(CopyReconstructor(), on: clip))
        // The flow baseline represents carphone's motion better than no motion.
        #expect(report.rows[1].l1.mean < report.rows[0].l1.mean)
        let markdown = report.markdown
        #expect(markdown.contains("| copy |") && markdown.contains("| dis-ultrafast |") && markdown.contains("3 clips of 5"), "\(markdown)")
        let decoded = try JSONDecoder().decode(CGMMotionReport.self, from: JSONEncoder().encode(report))
        #expect(decoded.clips.count == 3 && decoded.rows[1].psnr == report.rows[1].psnr)
    }

    @Test func tooShortVideosAreSkippedAndListedAndNoClipAtAllIsAnError() throws {
        let folder = TemporaryFolder()
        let short = try Self.frameFolder(folder, count: 5)
        let video = try TestData.url("videos/carphone.mp4")
        let report = try CGMMotionEvaluation.run(
            videos: [short, video], methods: [CopyReconstructor()], settings: Self.settings(frames: 8, clipsPerVideo: 1))
        #expect(report.videos.map(\.clips) == [0, 1] && report.videos[0].framesRead == 5)
        #expect(report.markdown.contains("from 1 of 2 videos"), "\(report.markdown)")

        let error = #expect(throws: TrainingRunError.self) {
            try CGMMotionEvaluation.run(videos: [short], methods: [CopyReconstructor()], settings: Self.settings(frames: 16))
        }
        #expect(error?.description.contains("no clip of 17 consecutive frames") == true, "\(String(describing: error))")
        #expect(error?.description.contains("decodes 5 frames") == true, "\(String(describing: error))")
    }

    @Test func missingVideosAndBadSettingsFailBeforeAnyWork() throws {
        let video = try TestData.url("videos/carphone.mp4")
        let missing = URL(fileURLWithPath: "/no/such/video.mp4")
        let error = #expect(throws: VideoError.self) {
            try CGMMotionEvaluation.run(videos: [video, missing], methods: [CopyReconstructor()])
        }
        #expect(error?.reason == .missing)
        #expect(throws: VideoError.self) { try CGMClipReader.videos(at: missing) }
        #expect(throws: TrainingRunError.self) {
            try CGMMotionEvaluation.run(videos: [video], methods: [CopyReconstructor(), CopyReconstructor()])
        }
        for geometry in [CGMClipReader.Geometry(frames: 1), .init(shortSide: 100), .init(shortSide: 6, crop: 6)] {
            #expect(geometry.problem != nil)
            #expect(throws: TrainingRunError.self) { try CGMClipReader(video, geometry: geometry) }
        }
    }

    @Test func aFolderOfVideosListsThemAndAFolderOfFramesIsOneVideo() throws {
        let folder = TemporaryFolder()
        let frames = try Self.frameFolder(folder, count: 3)
        #expect(try CGMClipReader.videos(at: frames) == [frames])
        let videos = try CGMClipReader.videos(at: TestData.root.appendingPathComponent("videos"))
        #expect(videos.contains { $0.lastPathComponent == "carphone.mp4" } && videos.contains { $0.lastPathComponent == "vtest.avi" })
    }
}
