import Foundation
import KinemaMediaTestSupport
import Testing

/// The version a user sees is the newest release of CHANGELOG.md, in both places it is printed.
@Suite struct VersionCommandTests {
    /// The first `## [x.y.z]` heading of CHANGELOG.md (the `[Unreleased]` heading is skipped).
    private func newestRelease() throws -> String {
        let changelog = try String(
            contentsOf: TestData.repository.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let heading = try #require(changelog.firstMatch(of: /\n## \[(\d+\.\d+\.\d+)\]/), "no release in CHANGELOG.md")
        return String(heading.1)
    }

    @Test func versionFlagPrintsTheNewestChangelogRelease() throws {
        let result = try CLIRunner.run(["--version"])
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == (try newestRelease()))
    }

    @Test func infoShowsTheVersion() throws {
        let result = try CLIRunner.run(["info"])
        #expect(result.status == 0, "\(result.output)")
        let line = "kinema     \(try newestRelease())"
        #expect(result.output.split(separator: "\n").contains { $0 == line }, "\(result.output)")
    }

    @Test func helpNamesTheFourMethods() throws {
        let result = try CLIRunner.run(["--help"])
        #expect(result.status == 0)
        // ArgumentParser wraps the overview at the terminal width.
        let words = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("(MoSI, VideoMAE, MME, CGM-Net)"), "\(result.output)")
        #expect(!words.contains("planned"), "\(result.output)")
    }
}

/// The executable runs with libgomp's passive wait policy unless the user set one (its loader
/// threads need the cores that spinning OpenMP threads would take).
@Suite struct OpenMPWaitPolicyTests {
    @Test func theExecutableSetsAPassivePolicyAndKeepsTheUsers() throws {
        let passive = try CLIRunner.run(["info"], environment: ["OMP_WAIT_POLICY": nil])
        #expect(passive.status == 0 && passive.output.contains("OMP_WAIT_POLICY PASSIVE"), "\(passive.output)")
        let own = try CLIRunner.run(["info"], environment: ["OMP_WAIT_POLICY": "ACTIVE"])
        #expect(own.status == 0 && own.output.contains("OMP_WAIT_POLICY ACTIVE"), "\(own.output)")
    }
}
