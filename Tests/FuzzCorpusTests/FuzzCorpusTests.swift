import Foundation
import KinemaFuzzTargets
import Testing

// Replays the committed fuzz corpus (Fuzz/corpus/<target>/, synthesised by Fuzz/make_corpus.py)
// and every input a fuzz run found a problem with (Fuzz/regressions/<target>/) through the
// ordinary build: a reader that crashes, traps or gives an error that does not name the file on
// any of them fails `make test` (docs/fuzzing.md).

private let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz")
    .standardized

/// The files of `Fuzz/<folder>/<target>/`, sorted (none when the folder does not exist).
private func inputs(_ folder: String, _ target: FuzzTarget) -> [URL] {
    let dir = fuzz.appendingPathComponent("\(folder)/\(target.rawValue)")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
}

/// Runs `body` with a scratch folder of its own, removed afterwards.
private func withScratch(_ body: (URL) throws -> Void) throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-fuzz-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    try body(scratch)
}

/// Every seed is read without a crash; the seeds named `ok-*` are valid files, and must be accepted
/// (so the corpus reaches past the first check of each reader), the others must be refused.
@Test(arguments: FuzzTarget.allCases)
func seedCorpusReplays(_ target: FuzzTarget) throws {
    let seeds = inputs("corpus", target)
    #expect(seeds.contains { $0.lastPathComponent.hasPrefix("ok-") }, "Fuzz/corpus/\(target) has no valid seed: run Fuzz/make_corpus.py")
    #expect(seeds.contains { !$0.lastPathComponent.hasPrefix("ok-") }, "Fuzz/corpus/\(target) has no invalid seed: run Fuzz/make_corpus.py")
    try withScratch { scratch in
        for seed in seeds {
            let accepted = target.run(try Data(contentsOf: seed), scratch: scratch)
            #expect(accepted == seed.lastPathComponent.hasPrefix("ok-"), "\(seed.path)")
        }
    }
}

/// Inputs that once crashed a reader (or hung it, or made it allocate without bound) now give it
/// no trouble; those found by review (`review-*`) are invalid files, and must be refused.
@Test(arguments: FuzzTarget.allCases)
func regressionsReplay(_ target: FuzzTarget) throws {
    try withScratch { scratch in
        for input in inputs("regressions", target) {
            let accepted = target.run(try Data(contentsOf: input), scratch: scratch)
            if input.lastPathComponent.hasPrefix("review-") { #expect(!accepted, "\(input.path)") }
        }
    }
}
