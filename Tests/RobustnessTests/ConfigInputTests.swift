import Foundation
import KinemaTrain
import Testing

@Suite struct ConfigInputTests {
    /// Fine-tuning's config (the largest): each broken file is rejected with every problem listed,
    /// each under its key, and the file named.
    @Test func configFiles() throws {
        let scratch = Scratch(), matrix = Matrix("configs")
        let cases: [(input: String, yaml: String, mentioning: String)] = [
            ("a wrong type", "steps: many", "steps: expected an integer, found 'many'"),
            ("an unknown (misspelt) key", "optim: {lerningRate: 0.1}", "optim.lerningRate: unknown key (valid keys under optim:"),
            ("required keys missing (an empty file)", "", "data.videos: names no folder of videos"),
            ("a negative size", "data: {cropSize: -8}", "cropSize must be ≥ 1, got -8"),
            ("a zero batch", "data: {batchSize: 0}", "data.batchSize: must be positive, got 0"),
            ("NaN learning rate", "optim: {learningRate: .nan}", "optim.learningRate: must be positive, got nan"),
            ("an integer too large for 64 bits", "steps: 99999999999999999999", "steps: expected an integer from"),
            ("YAML syntax error", "data: [unclosed", "bad-syntax.yaml"),
            ("a list instead of a mapping", "- steps\n- 3", "must be a mapping of keys"),
            ("a section that is a number", "optim: 3", "optim: expected a mapping"),
        ]
        for (index, item) in cases.enumerated() {
            let file = try scratch.file(item.input == "YAML syntax error" ? "bad-syntax.yaml" : "case-\(index).yaml", Data(item.yaml.utf8))
            matrix.rejects(item.input, "FineTuneConfig.resolve", file: file, mentioning: item.mentioning) {
                _ = try FineTuneConfig.resolve(file: file)
            }
        }
        let latin1 = try scratch.file("latin1.yaml", Data([0x73, 0x74, 0x65, 0x70, 0x73, 0x3A, 0x20, 0xE9, 0x0A]))
        matrix.rejects("bytes that are not UTF-8", "FineTuneConfig.resolve", file: latin1) { _ = try FineTuneConfig.resolve(file: latin1) }
        let missing = try scratch.file("missing.yaml")
        matrix.rejects("missing file", "FineTuneConfig.resolve", file: missing) { _ = try FineTuneConfig.resolve(file: missing) }
        let overridden = try scratch.file("fine.yaml", Data("steps: 3".utf8))
        matrix.rejects("a bad --set override", "FineTuneConfig.resolve", file: overridden, mentioning: "--set") {
            _ = try FineTuneConfig.resolve(file: overridden, overrides: ["optim.learningRate=fast"])
        }
        try matrix.publish(folder: scratch.url)
    }
}
