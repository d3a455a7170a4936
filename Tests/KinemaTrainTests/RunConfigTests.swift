import Foundation
import KinemaTrain
import Testing

// A trainer-like config: nested sections, every field with a default, own validation.

private struct OptimSection: ConfigSection, Equatable {
    var lr = 0.1
    var momentum = 0.9
    var nesterov = false

    func validate(_ problems: inout ConfigProblems) {
        problems.check(lr > 0, "lr", "must be positive, got \(lr)")
        problems.check((0..<1).contains(momentum), "momentum", "must be in [0, 1), got \(momentum)")
    }
}

private enum SourceKind: String, Codable, Equatable {
    case video, images
}

private struct DataSection: ConfigSection, Equatable {
    var root = "data"
    var strides = [1, 2, 4]
    var clipLength = 8
    var kind = SourceKind.video
}

private struct ToyConfig: RunConfig, Equatable {
    var run = RunSettings()
    var optim = OptimSection()
    var data = DataSection()
    var steps = 100

    init() {}

    func validate(_ problems: inout ConfigProblems) {
        problems.validate(optim, at: "optim")
        problems.check(steps > 0, "steps", "must be positive, got \(steps)")
    }

    static var keysChangeableOnResume: [String] { RunSettings.changeableOnResume + ["steps"] }
}

/// The problems of a resolution that must fail.
private func problems(yaml: String? = nil, _ overrides: [String] = []) -> [String] {
    do {
        _ = try ToyConfig.resolve(layers: yaml.map { [($0, "test.yaml")] } ?? [], overrides: overrides)
        return []
    } catch {
        return error.problems
    }
}

@Suite struct RunConfigTests {
    @Test func noSourcesGiveTheDefaults() throws {
        #expect(try ToyConfig.resolve() == ToyConfig())
        #expect(try ToyConfig.resolve(layers: [("", "empty.yaml")]) == ToyConfig())
    }

    @Test func partialYAMLKeepsTheOtherDefaults() throws {
        let config = try ToyConfig.resolve(layers: [
            ("""
            optim:
              lr: 0.5
            data:
              strides: [2, 3]
            run: {seed: 7}
            """, "partial.yaml")
        ])
        var expected = ToyConfig()
        expected.optim.lr = 0.5
        expected.data.strides = [2, 3]
        expected.run.seed = 7
        #expect(config == expected)
    }

    @Test func aSectionWithEveryKeyCommentedOutKeepsItsDefaults() throws {
        #expect(try ToyConfig.resolve(layers: [("optim:\n  # lr: 3\n", "a.yaml")]) == ToyConfig())
    }

    @Test func overridesApplyInOrderAfterTheFile() throws {
        let config = try ToyConfig.resolve(
            layers: [("optim: {lr: 0.5}\nsteps: 10", "a.yaml")],
            overrides: [
                "optim.lr=1e-3", "steps=20", "steps=30", "data.strides=[5, 6, 7]", "data.strides.1=9",
                "optim.nesterov=true", "data.kind=images", "run.device=cuda:1",
            ])
        #expect(config.optim.lr == 0.001)
        #expect(config.steps == 30)
        #expect(config.data.strides == [5, 9, 7])
        #expect(config.optim.nesterov)
        #expect(config.data.kind == .images)
        #expect(config.run.device == "cuda:1")
    }

    @Test func stringOverridesAreTakenVerbatim() throws {
        let config = try ToyConfig.resolve(overrides: ["data.root=/videos/a: b, [c]", "run.output=123"])
        #expect(config.data.root == "/videos/a: b, [c]")
        #expect(config.run.output == "123")
        // A number in a file is a fine string too.
        #expect(try ToyConfig.resolve(layers: [("data: {root: 2024}", "a.yaml")]).data.root == "2024")
    }

    @Test func anIntegerStandsForAFloatingPointNumber() throws {
        #expect(try ToyConfig.resolve(layers: [("optim: {lr: 1}", "a.yaml")]).optim.lr == 1)
        #expect(try ToyConfig.resolve(overrides: ["optim.momentum=0"]).optim.momentum == 0)
    }

    @Test func wrongTypesAreRejectedWithTheExpectedType() {
        #expect(problems(yaml: "steps: 1.5") == ["steps: expected an integer, found '1.5'"])
        #expect(problems(["optim.nesterov=maybe"]) == ["optim.nesterov: expected true or false, found 'maybe'"])
        #expect(problems(["optim.lr=fast"]) == ["optim.lr: expected a number, found 'fast'"])
        #expect(problems(yaml: "data: {strides: [1, x]}") == ["data.strides.1: expected an integer, found 'x'"])
        #expect(problems(yaml: "optim: 3") == ["optim: expected a mapping with keys lr, momentum, nesterov, found '3'"])
        #expect(problems(yaml: "data: {strides: 4}") == ["data.strides: expected a list, found '4'"])
        #expect(problems(yaml: "data: {root: [a]}") == ["data.root: expected a string, found a list"])
    }

    @Test func valuesTheTypeRejectsAreReportedWithTheirKey() {
        let found = problems(["data.kind=audio"])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("data.kind: ") == true)
        #expect(problems(["steps=null"]).first?.hasPrefix("steps: expected an integer") == true)
    }

    @Test func theDistributedBackendIsCheckedAgainstTheDevice() {
        #expect(problems(["run.distributedBackend=mpi"]) == ["run.distributedBackend: must be auto, gloo or nccl, got 'mpi'"])
        #expect(problems(["run.distributedBackend=nccl"]).first?.contains("needs device cuda") == true)
        #expect(problems(["run.distributedBackend=nccl", "run.device=cuda:1"]) == [])
    }

    @Test func unknownKeysAreRejectedWithTheValidOnes() {
        #expect(problems(yaml: "optim: {lrr: 1}") == ["optim.lrr: unknown key (valid keys under optim: lr, momentum, nesterov)"])
        #expect(problems(["stepz=3"]) == ["stepz: unknown key (valid keys: run, optim, data, steps)"])
        #expect(problems(["optim.lr.x=3"]) == ["optim.lr.x: optim.lr is a number, which has no keys"])
        #expect(problems(["data.strides.3=1"]) == ["data.strides.3: data.strides is a list of 3; use an index 0..<3"])
        #expect(problems(["steps"]) == ["--set expects key=value, got 'steps'"])
        #expect(problems(["optim..lr=1"]).first?.hasPrefix("--set key 'optim..lr' is not a dotted key path") == true)
        #expect(problems(["steps="]) == ["steps: no value given (--set steps=VALUE)"])
    }

    @Test func everyProblemIsListedInOneError() {
        let found = problems(
            yaml: """
                optim: {lr: -1, momentum: 2, nesterov: 3}
                extra: 1
                steps: 0
                run: {device: tpu, checkpointEvery: 0}
                """, ["data.clipLength=long"])
        #expect(
            found == [
                "optim.nesterov: expected true or false, found '3'",
                "extra: unknown key (valid keys: run, optim, data, steps)",
                "data.clipLength: expected an integer, found 'long'",
                "run.device: 'tpu' is not cpu, cuda or cuda:N",
                "run.checkpointEvery: must be positive, got 0",
                "optim.lr: must be positive, got -1.0",
                "optim.momentum: must be in [0, 1), got 2.0",
                "steps: must be positive, got 0",
            ])
        let error = ConfigError(problems: found)
        #expect(error.description.hasPrefix("invalid configuration (8 problems):\n  - optim.nesterov"))
    }

    @Test func dataWorkersMustBePositive() {
        #expect(problems(["run.dataWorkers=0"]) == ["run.dataWorkers: must be ≥ 1, got 0"])
    }

    @Test func malformedYAMLNamesTheFile() {
        let found = problems(yaml: "optim: {lr: 1")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("test.yaml is not valid YAML") == true)
        #expect(problems(yaml: "- 1\n- 2").first?.hasPrefix("test.yaml must be a mapping of keys (run, optim") == true)
    }

    @Test func writtenConfigsReadBackEqual() throws {
        let folder = temporaryFolder("config")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = ToyConfig()
        config.optim.lr = 1e-4
        config.data.root = "123"  // must stay a string through YAML
        config.run.seed = UInt64.max
        config.data.kind = .images
        for name in ["config.yaml", "config.json"] {
            let url = folder.appendingPathComponent(name)
            try config.write(to: url)
            #expect(try ToyConfig.resolve(file: url) == config, "\(name)")
        }
        let yaml = try String(contentsOf: folder.appendingPathComponent("config.yaml"), encoding: .utf8)
        #expect(yaml.hasPrefix("run:\n  seed: 18446744073709551615\n"))  // declaration order
        #expect(yaml.contains("\n  lr: 0.0001\n  momentum: 0.9\n"))  // plain numbers, not 1e-4 / 9e-1
        let json = try String(contentsOf: folder.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(json.contains("\"root\" : \"123\""))
    }

    @Test func aMissingConfigFileIsAConfigError() {
        #expect(throws: ConfigError.self) { try ToyConfig.resolve(file: URL(fileURLWithPath: "/nonexistent/kinema.yaml")) }
    }

    @Test func resumeMayChangeOnlyTheListedKeys() throws {
        let saved = ToyConfig()
        var next = saved
        next.run.threads = 4
        next.run.device = "cuda:0"
        next.steps = 200
        #expect(try next.changesForbiddenOnResume(from: saved).isEmpty)
        next.optim.lr = 0.2
        next.run.seed = 3
        next.data.strides = [1]
        #expect(
            try next.changesForbiddenOnResume(from: saved) == [
                "run.seed: 0 → 3", "optim.lr: 0.1 → 0.2", "data.strides: [1, 2, 4] → [1]",
            ])
        #expect(try next.changes(from: saved).count == 6)
    }

    @Test func resumingStartsFromTheSavedConfig() throws {
        let folder = temporaryFolder("config-resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        var saved = ToyConfig()
        saved.run.output = folder.path
        saved.optim.lr = 0.25
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try saved.write(to: RunFolder(folder).config)

        let resumed = try ToyConfig.resolve(
            ConfigSources(overrides: ["run.output=\(folder.path)", "run.threads=2", "run.dataWorkers=3"], resume: true))
        #expect(resumed.optim.lr == 0.25)
        #expect(resumed.run.threads == 2)
        #expect(resumed.run.dataWorkers == 3)

        #expect(throws: ConfigError.self) {
            try ToyConfig.resolve(ConfigSources(overrides: ["run.output=\(folder.path)/elsewhere"], resume: true))
        }
    }
}
