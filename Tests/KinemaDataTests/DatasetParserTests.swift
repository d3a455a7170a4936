import Foundation
import KinemaData
import Testing

// Each parser against samples written by hand from the documented formats (docs/reference-implementations.md §5.1),
// with the rows that go wrong in real copies: a missing video, an unknown class, a bad label, a
// malformed line.

@Suite struct UCF101Tests {
    /// Official layout with the HandstandPushups quirk: classInd says "HandstandPushups", the files
    /// (and, in this copy, the folder) say "HandStandPushups".
    private func sample() throws -> DatasetFiles {
        let files = DatasetFiles()
        try files.write("splits/classInd.txt", "1 ApplyEyeMakeup\r\n2 ApplyLipstick\r\n3 HandstandPushups\r\n")
        try files.write(
            "splits/trainlist01.txt",
            """
            ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1
            ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c02.avi 1
            HandstandPushups/v_HandStandPushups_g08_c01.avi 3
            ApplyLipstick/v_ApplyLipstick_g09_c01.avi 2
            ApplyEyeMakeup/v_ApplyEyeMakeup_g09_c01.avi 2
            Basketball/v_Basketball_g01_c01.avi 102
            ApplyLipstick/v_ApplyLipstick_g08_c01.avi two

            """)
        try files.write(
            "splits/testlist01.txt",
            """
            ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi
            HandstandPushups/v_HandStandPushups_g01_c01.avi
            Basketball/v_Basketball_g01_c01.avi
            ApplyLipstick/v_ApplyLipstick_g01_c01.avi

            """)
        try files.write("splits/trainlist02.txt", "ApplyLipstick/v_ApplyLipstick_g08_c01.avi 2\n")
        try files.touch(
            "videos/ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi", "videos/ApplyEyeMakeup/v_ApplyEyeMakeup_g09_c01.avi",
            "videos/HandStandPushups/v_HandStandPushups_g08_c01.avi",
            "videos/ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi",
            "videos/HandStandPushups/v_HandStandPushups_g01_c01.avi", "videos/ApplyLipstick/v_ApplyLipstick_g08_c01.avi"
        )
        // One video present only as its extracted frames.
        try files.frameFolder("videos/ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c02")
        return files
    }

    @Test func trainListLabelsQuirkAndProblems() throws {
        let files = try sample()
        let data = try VideoDataset.ucf101(
            videos: files.url("videos"), splits: files.url("splits"), split: 1, subset: .train)
        #expect(data.classNames == ["ApplyEyeMakeup", "ApplyLipstick", "HandstandPushups"])
        #expect(
            files.relativePaths(data.items.map(\.url)) == [
                "videos/ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi",
                "videos/ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c02",
                "videos/HandStandPushups/v_HandStandPushups_g08_c01.avi",
            ])
        #expect(data.items.map(\.label) == [0, 0, 2])
        #expect(data.items.map(\.isFrameFolder) == [false, true, false])
        #expect(data.classCounts == [2, 0, 1])
        // Missing file, id disagreeing with the folder, id out of range, id not a number.
        #expect(data.problems.map(\.line) == [4, 5, 6, 7])
        #expect(data.problems.map(\.kind) == [.missingVideo, .badLabel, .badLabel, .badLabel])
        #expect(data.problems.allSatisfy { $0.file.hasSuffix("splits/trainlist01.txt") })
        #expect(
            data.problems[1].description.contains(
                "trainlist01.txt:5: class id 2 is ApplyLipstick but the video is in ApplyEyeMakeup"))
    }

    @Test func testListTakesTheClassFromTheFolder() throws {
        let files = try sample()
        let data = try VideoDataset.ucf101(videos: files.url("videos"), splits: files.url("splits"), subset: .test)
        #expect(data.items.map(\.label) == [0, 2])
        #expect(
            files.relativePaths(data.items.map(\.url)) == [
                "videos/ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi",
                "videos/HandStandPushups/v_HandStandPushups_g01_c01.avi",
            ])
        #expect(data.problems.map(\.kind) == [.unknownClass, .missingVideo])
        #expect(data.problems.map(\.line) == [3, 4])
    }

    @Test func otherSplitsAndBadArguments() throws {
        let files = try sample()
        let two = try VideoDataset.ucf101(
            videos: files.url("videos"), splits: files.url("splits"), split: 2, subset: .train)
        #expect(two.items.map(\.label) == [1] && two.problems.isEmpty)
        #expect(throws: DatasetError.self) {
            try VideoDataset.ucf101(videos: files.url("videos"), splits: files.url("splits"), split: 4, subset: .train)
        }
        // Split 3 has no list in this sample: the error names the file.
        let missing = #expect(throws: DatasetError.self) {
            try VideoDataset.ucf101(videos: files.url("videos"), splits: files.url("splits"), split: 3, subset: .train)
        }
        #expect(missing?.description.contains("trainlist03.txt: no such annotation file") == true)
    }

    @Test func nothingUsableIsAnErrorListingWhy() throws {
        let files = try sample()
        let error = #expect(throws: DatasetError.self) {
            try VideoDataset.ucf101(videos: files.url("elsewhere"), splits: files.url("splits"), subset: .test)
        }
        #expect(error?.message.contains("no usable video: all 4 listed rows were skipped") == true)
        #expect(error?.message.contains("testlist01.txt:1:") == true)
    }

    @Test func classIndMustNumberClassesOneToN() throws {
        let files = DatasetFiles()
        let gap = try files.write("gap.txt", "1 A\n3 C\n")
        let bad = try files.write("bad.txt", "1 A\nB\n")
        #expect(throws: DatasetError.self) { try VideoDataset.ucf101ClassNames(gap) }
        let error = #expect(throws: DatasetError.self) { try VideoDataset.ucf101ClassNames(bad) }
        #expect(error?.source.hasSuffix("bad.txt:2") == true)
    }
}

@Suite struct HMDB51Tests {
    @Test func flagsPickTheSubsetAndZeroIsUnused() throws {
        let files = DatasetFiles()
        try files.write(
            "splits/brush_hair_test_split1.txt",
            """
            April_09_brush_hair_u_nm_np1_ba_goo_0.avi 1 
            April_09_brush_hair_u_nm_np1_ba_goo_1.avi 2 
            April_09_brush_hair_u_nm_np1_ba_goo_2.avi 0 

            """)
        try files.write(
            "splits/cartwheel_test_split1.txt",
            """
            (Rushhour)_Cartwheel_Lektion_cartwheel_f_cm_np1_le_med_0.avi 1 
            Bodenturnen_2004_cartwheel_f_cm_np1_le_med_0.avi 2 
            missing_cartwheel_f_cm_np1_le_med_0.avi 1 
            this line is wrong
            x_cartwheel.avi 7 

            """)
        try files.write("splits/brush_hair_test_split2.txt", "April_09_brush_hair_u_nm_np1_ba_goo_2.avi 1\n")
        try files.touch(
            "videos/brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_0.avi",
            "videos/brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_1.avi",
            "videos/brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_2.avi",
            "videos/cartwheel/(Rushhour)_Cartwheel_Lektion_cartwheel_f_cm_np1_le_med_0.avi",
            "videos/cartwheel/Bodenturnen_2004_cartwheel_f_cm_np1_le_med_0.avi")

        let train = try VideoDataset.hmdb51(
            videos: files.url("videos"), splits: files.url("splits"), split: 1, subset: .train)
        #expect(train.classNames == ["brush_hair", "cartwheel"])
        #expect(
            files.relativePaths(train.items.map(\.url)) == [
                "videos/brush_hair/April_09_brush_hair_u_nm_np1_ba_goo_0.avi",
                "videos/cartwheel/(Rushhour)_Cartwheel_Lektion_cartwheel_f_cm_np1_le_med_0.avi",
            ])
        #expect(train.items.map(\.label) == [0, 1])
        #expect(train.problems.map(\.kind) == [.missingVideo, .malformedLine, .malformedLine])
        #expect(train.problems.map(\.line) == [3, 4, 5])
        #expect(train.problems[0].file.hasSuffix("cartwheel_test_split1.txt"))

        let test = try VideoDataset.hmdb51(
            videos: files.url("videos"), splits: files.url("splits"), split: 1, subset: .test)
        #expect(test.items.map(\.label) == [0, 1])
        #expect(test.items[0].url.lastPathComponent == "April_09_brush_hair_u_nm_np1_ba_goo_1.avi")

        // Split 2 lists only brush_hair: a class list of one.
        let two = try VideoDataset.hmdb51(
            videos: files.url("videos"), splits: files.url("splits"), split: 2, subset: .train)
        #expect(two.classNames == ["brush_hair"] && two.count == 1)
        #expect(throws: DatasetError.self) {
            try VideoDataset.hmdb51(videos: files.url("videos"), splits: files.url("splits"), split: 3, subset: .train)
        }
    }
}

@Suite struct KineticsTests {
    @Test func csvWithHeaderQuotedLabelsAndTheUsualLayout() throws {
        let files = DatasetFiles()
        let csv = try files.write(
            "annotations/train.csv",
            """
            label,youtube_id,time_start,time_end,split,is_cc
            abseiling,--07WQ2iBlw,1,11,train,0
            "air drumming",-VtLx-mcPds,14,24,train,0
            "air drumming",bad_time,x,24,train,0
            zumba,zzzzzzzzzzz,5,15,train,0
            abseiling,0wR5jVB-WPk,417,427,train,0

            """)
        try files.touch(
            "k400/train/abseiling/--07WQ2iBlw_000001_000011.mp4",
            "k400/train/air drumming/-VtLx-mcPds_000014_000024.mp4",
            // The CVDF mirror's flat layout for another clip.
            "k400/train/0wR5jVB-WPk_000417_000427.mp4")
        let data = try VideoDataset.kinetics(csv: csv, videos: files.url("k400"))
        #expect(data.classNames == ["abseiling", "air drumming", "zumba"])
        #expect(
            files.relativePaths(data.items.map(\.url)) == [
                "k400/train/abseiling/--07WQ2iBlw_000001_000011.mp4",
                "k400/train/air drumming/-VtLx-mcPds_000014_000024.mp4",
                "k400/train/0wR5jVB-WPk_000417_000427.mp4",
            ])
        #expect(data.items.map(\.label) == [0, 1, 0])
        #expect(data.problems.map(\.kind) == [.malformedLine, .missingVideo])
        #expect(data.problems.map(\.line) == [4, 5])
    }

    @Test func validationCSVWithTheTrainingClassesAndUnderscoredFolders() throws {
        let files = DatasetFiles()
        let csv = try files.write(
            "validate.csv",
            """
            label,youtube_id,time_start,time_end,split
            air drumming,a1,0,10,val
            unknown thing,b2,0,10,val

            """)
        try files.touch("k400/validate/air_drumming/a1_000000_000010.mp4")
        let data = try VideoDataset.kinetics(
            csv: csv, videos: files.url("k400"), classNames: ["abseiling", "air drumming"])
        #expect(data.items.map(\.label) == [1])
        #expect(data.items[0].url.path.hasSuffix("validate/air_drumming/a1_000000_000010.mp4"))
        #expect(data.problems.map(\.kind) == [.unknownClass] && data.problems[0].line == 3)
    }
}

@Suite struct SomethingSomethingV2Tests {
    @Test func templatesWithoutBracketsAreTheClasses() throws {
        let files = DatasetFiles()
        let labels = try files.write(
            "something-something-v2-labels.json",
            """
            {"Approaching something with your camera": "0", "Holding something next to something": "1",
             "Pushing something from left to right": "2"}
            """)
        let train = try files.write(
            "something-something-v2-train.json",
            """
            [{"id": "78687", "label": "holding potato next to vicks vaporub bottle",
              "template": "Holding [something] next to [something]", "placeholders": ["potato", "vicks vaporub bottle"]},
             {"id": "42326", "label": "approaching a cup with your camera",
              "template": "Approaching [something] with your camera", "placeholders": ["a cup"]},
             {"id": "100", "label": "dancing a pen", "template": "Dancing [something]", "placeholders": ["a pen"]},
             {"id": "101", "label": "pushing a box from left to right",
              "template": "Pushing [something] from left to right", "placeholders": ["a box"]},
             {"label": "no id"},
             {"id": "102"}]
            """)
        try files.touch("videos/78687.webm")
        try files.frameFolder("videos/42326")
        let data = try VideoDataset.somethingSomethingV2(
            labels: labels, annotations: train, videos: files.url("videos"))
        #expect(data.classNames.count == 3 && data.classNames[2] == "Pushing something from left to right")
        #expect(files.relativePaths(data.items.map(\.url)) == ["videos/78687.webm", "videos/42326"])
        #expect(data.items.map(\.label) == [1, 0])
        #expect(data.items.map(\.isFrameFolder) == [false, true])
        #expect(data.problems.map(\.kind) == [.unknownClass, .missingVideo, .malformedLine, .badLabel])
        #expect(data.problems.map(\.line) == [3, 4, 5, 6])
    }

    @Test func labelIndicesMustBeZeroToNMinusOne() throws {
        let files = DatasetFiles()
        let labels = try files.write("labels.json", #"{"A": "0", "B": "2"}"#)
        #expect(throws: DatasetError.self) { try VideoDataset.somethingSomethingV2ClassNames(labels) }
        let notJSON = try files.write("broken.json", "{")
        #expect(throws: DatasetError.self) { try VideoDataset.somethingSomethingV2ClassNames(notJSON) }
    }
}

@Suite struct PathLabelListTests {
    @Test func spaceOrCommaSeparatedRelativeOrAbsolute() throws {
        let files = DatasetFiles()
        try files.touch("data/ucf/a.avi", "data/ucf/My Videos/b c.avi", "data/ucf/d.avi", "elsewhere/e.mp4")
        let list = try files.write(
            "data/train.csv",
            """
            ucf/a.avi 0
            ucf/My Videos/b c.avi 2
            ucf/d.avi,1
            \(files.url("elsewhere/e.mp4").path) 1
            ucf/f.avi -1
            ucf/g.avi
            ucf/missing.avi 0

            """)
        let data = try VideoDataset.pathLabelList(list)
        #expect(
            files.relativePaths(data.items.map(\.url)) == [
                "data/ucf/a.avi", "data/ucf/My Videos/b c.avi", "data/ucf/d.avi", "elsewhere/e.mp4",
            ])
        #expect(data.items.map(\.label) == [0, 2, 1, 1])
        #expect(data.classNames == ["0", "1", "2"])
        #expect(data.problems.map(\.kind) == [.badLabel, .malformedLine, .missingVideo])
        #expect(data.problems.map(\.line) == [5, 6, 7])

        // With a root and a class list, labels beyond the list are bad.
        let named = try VideoDataset.pathLabelList(list, root: files.url("data"), classNames: ["x", "y"])
        #expect(named.items.map(\.label) == [0, 1, 1])
        #expect(named.problems.map(\.line) == [2, 5, 6, 7])
    }
}

@Suite struct ClassFolderTests {
    @Test func sortedFoldersAreClassesAndEmptyOnesAreReported() throws {
        let files = DatasetFiles()
        try files.touch(
            "root/walk/v10.mp4", "root/walk/v2.mp4", "root/run/clip.avi", "root/run/notes.txt", "root/.hidden/x.mp4")
        try files.frameFolder("root/run/frames_of_clip2")
        try FileManager.default.createDirectory(at: files.url("root/jump"), withIntermediateDirectories: true)
        let data = try VideoDataset.classFolders(files.url("root"))
        #expect(data.classNames == ["jump", "run", "walk"])
        #expect(
            files.relativePaths(data.items.map(\.url)) == [
                "root/run/clip.avi", "root/run/frames_of_clip2", "root/walk/v2.mp4", "root/walk/v10.mp4",
            ])
        #expect(data.items.map(\.label) == [1, 1, 2, 2])
        #expect(data.items.map(\.isFrameFolder) == [false, true, false, false])
        #expect(data.problems.map(\.kind) == [.emptyClass] && data.problems[0].line == nil)
        #expect(throws: DatasetError.self) { try VideoDataset.classFolders(files.url("nowhere")) }
    }
}
