import Foundation
import KinemaMediaTestSupport
import KinemaTestSupport
import Testing

/// `kinema predict` through the real executable: transformers' answer on the fixture folder and
/// clip (table and JSON), and the errors a user can run into.
@Suite struct PredictCommandTests {
    private let folder = PredictionFixture.folder.path
    private let clip = PredictionFixture.clip.path

    @Test func theJSONGivesTransformersTopFiveAndProbabilities() throws {
        let expected = try PredictionFixture()
        let run = try CLIRunner.run(["predict", folder, clip, "--stride", "1", "--json"])
        #expect(run.status == 0, "\(run.output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        #expect(report["format"] as? String == "transformers VideoMAE folder" && report["classes"] as? Int == 8)
        let prediction = try #require((report["predictions"] as? [[String: Any]])?.first)
        let top = try #require(prediction["top"] as? [[String: Any]])
        #expect(top.compactMap { $0["index"] as? Int } == expected.top5)
        #expect(top.compactMap { $0["name"] as? String } == expected.top5.map { expected.labels[$0] })
        for (entry, index) in zip(top, expected.top5) {
            let probability = try #require(entry["probability"] as? Double)
            #expect(abs(probability - expected.probabilities64[index]) <= expected.tolerance(index), "\(entry)")
        }
    }

    @Test func theTableListsTheTopClassesInOrder() throws {
        let expected = try PredictionFixture()
        let run = try CLIRunner.run(["predict", folder, clip, "--stride", "1", "--top", "3"])
        #expect(run.status == 0, "\(run.output)")
        let rows = run.output.split(separator: "\n").filter { $0.hasPrefix("     ") }
        #expect(rows.count == 3, "\(run.output)")
        for (rank, (row, index)) in zip(rows, expected.top5).enumerated() {
            let fields = row.split(separator: " ")
            #expect(fields.count == 3 && fields[0] == "\(rank + 1)" && fields[1] == expected.labels[index], "\(row)")
            // Each of these probabilities lies ≥ 1e-5 from a rounding boundary of its fourth decimal.
            #expect(fields.count == 3 && fields[2] == String(format: "%.4f", expected.probabilities64[index]), "\(row)")
        }
        #expect(run.output.contains("16 frames at stride 1, 1 clip × 1 crop of 64² after a 64 short-side resize"), "\(run.output)")
    }

    @Test func userErrorsNameTheFileAndTheFix() throws {
        let files = TemporaryFolder()
        try Data("just one\n".utf8).write(to: files.file("classes.txt"))
        let cases: [([String], String)] = [
            ([folder, clip], "16 frame(s) decoded, but 16 frames at stride 4 span 61; use a longer video or --stride 1"),
            ([folder, files.file("absent.mp4").path, "--stride", "1"], "absent.mp4: no such file"),
            ([folder, clip, "--classes", files.file("classes.txt").path], "names 1 classes, but the classifier has 8 outputs"),
            ([files.file("nothing").path, clip], "no checkpoint, run folder or transformers folder"),
            ([folder, clip, "--clips", "0"], "--clips must be at least 1"),
            ([folder, clip, "--model", "vit_x"], "unknown model 'vit_x'"),
        ]
        for (arguments, message) in cases {
            let run = try CLIRunner.run(["predict"] + arguments)
            #expect(run.status != 0 && run.output.contains(message), "\(arguments): \(run.output)")
        }
        let help = try CLIRunner.run(["predict", "--help"])
        #expect(help.status == 0 && help.output.contains("Examples:") && help.output.contains("--clips 10 --crops 3"), "\(help.output)")
    }
}
