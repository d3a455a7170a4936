import Foundation

/// The metadata every fixture carries (Tools/fixtures/README.md, "Metadata"): the format and its
/// version, the generator that wrote it, and the torch version it ran with, which must be the one
/// pinned in Tools/fixtures/requirements.txt. A mismatch means the file and the code that reads
/// it have drifted apart.
public enum FixtureProvenance {
    public static let format = "kinema-fixture"
    public static let formatVersion = "2"

    /// The checkout's root.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed fixtures (Tests/Fixtures), or the folder `KINEMA_FIXTURES_DIR` names — the
    /// variable the generators write to — to test against fixtures written on another machine.
    public static let directory: URL = {
        if let folder = ProcessInfo.processInfo.environment["KINEMA_FIXTURES_DIR"] { return URL(fileURLWithPath: folder) }
        return repository.appendingPathComponent("Tests/Fixtures")
    }()

    /// The `torch==X` pin of Tools/fixtures/requirements.txt.
    public static let pinnedTorch: String? = {
        let requirements = repository.appendingPathComponent("Tools/fixtures/requirements.txt")
        guard let text = try? String(contentsOf: requirements, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("torch==") }.map { String($0.dropFirst("torch==".count)) }
    }()

    /// Every way `metadata` departs from the contract; empty when it holds.
    public static func problems(in metadata: [String: String], pinnedTorch: String? = pinnedTorch) -> [String] {
        var problems: [String] = []
        if metadata["format"] != format {
            problems.append("format is \(metadata["format"].map { "'\($0)'" } ?? "missing"), expected '\(format)'")
        }
        if metadata["format_version"] != formatVersion {
            problems.append(
                "format_version is \(metadata["format_version"].map { "'\($0)'" } ?? "missing"), expected '\(formatVersion)'")
        }
        if let generator = metadata["generator"] {
            if !FileManager.default.fileExists(atPath: repository.appendingPathComponent(generator).path) {
                problems.append("its generator \(generator) does not exist")
            }
        } else {
            problems.append("it does not name its generator")
        }
        // "2.11.0+cu130" is torch 2.11.0 built with CUDA: the local version does not change the CPU maths.
        let torch = metadata["torch"]?.split(separator: "+").first.map(String.init)
        if let pinnedTorch {
            if torch != pinnedTorch {
                problems.append("written by torch \(metadata["torch"] ?? "(unknown)"), but torch==\(pinnedTorch) is pinned")
            }
        } else {
            problems.append("Tools/fixtures/requirements.txt pins no torch version")
        }
        for key in ["inputs", "absent"] where metadata[key] == nil {
            problems.append("its metadata has no '\(key)' list")
        }
        return problems
    }

    /// The message for a fixture whose metadata breaks the contract, naming the command that
    /// regenerates it; nil when the contract holds.
    public static func failure(fixture name: String, metadata: [String: String]) -> String? {
        let problems = problems(in: metadata)
        guard !problems.isEmpty else { return nil }
        let generator = metadata["generator"].map { " (or .deps/pyref/bin/python \($0))" } ?? ""
        return "fixture \(name): \(problems.joined(separator: "; ")); regenerate it with `make fixtures`\(generator)"
    }
}
