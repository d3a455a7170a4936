import Foundation
import KinemaMediaTestSupport
import Testing

/// `kinema localization`'s answers to input it cannot use (the scoring itself: KinemaTrainTests).
struct LocalizationCommandTests {
    @Test func aFolderWithoutManifestIsAClearError() throws {
        let folder = TemporaryFolder()
        let result = try CLIRunner.run(["localization", folder.file("no-run").path, folder.url.path])
        #expect(result.status != 0)
        #expect(result.output.contains("has no manifest.json: not a benchmark made by `kinema make-dataset`"), "\(result.output)")
    }
}
