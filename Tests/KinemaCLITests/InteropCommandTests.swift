import Foundation
import KinemaMediaTestSupport
import KinemaTensor
import KinemaTestSupport
import Testing

/// `kinema import` and `kinema export` through the real executable, on torchvision's state dict of
/// Tools/fixtures/gen_interop.py (r2plus1d_18 structure at width 8), and the errors a user can
/// run into.
@Suite struct InteropCommandTests {
    let folder = TemporaryFolder()
    let source: URL
    let original: [String: Tensor]

    init() throws {
        original = try fixture("interop").subset("torchvision.state.")
        source = folder.file("r2plus1d_18.safetensors")
        try Safetensors.save(Safetensors.Contents(tensors: original, metadata: ["format": "pt"]), to: source)
    }

    @Test func importThenExportGivesTorchvisionsFileBack() throws {
        let imported = folder.file("imported.safetensors").path
        let run = try CLIRunner.run(["import", source.path, "--model", "r2plus1d_18_tiny", "--output", imported])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("r2plus1d_18_tiny at width 8, 10 classes, \(original.count) tensors from the torchvision layout"), "\(run.output)")
        #expect(run.output.contains("note: taken as trained on torchvision-normalised clips"), "\(run.output)")

        let exported = folder.file("exported.safetensors")
        let back = try CLIRunner.run(["export", imported, "--output", exported.path])
        #expect(back.status == 0, "\(back.output)")
        #expect(back.output.contains("model.load_state_dict(safetensors.torch.load_file(\"\(exported.path)\"), strict=True)"), "\(back.output)")
        let tensors = try Safetensors.load(exported).tensors
        #expect(Set(tensors.keys) == Set(original.keys))
        for (key, tensor) in original { #expect(tensors[key]?.isEqual(to: tensor) == true, "\(key)") }
    }

    @Test func userErrorsNameTheFileAndTheFix() throws {
        let pth = folder.file("r2plus1d_18.pth")
        try Data("pickle".utf8).write(to: pth)
        let out = folder.file("out.safetensors").path
        let cases: [([String], String)] = [
            (["import", pth.path, "--model", "r2plus1d_18", "--output", out],
             "convert it first with `python3 Tools/convert/pth_to_safetensors.py \(pth.path)`"),
            (["import", source.path, "--model", "r3d_18_tiny", "--output", out], "does not fit r3d_18_tiny at width 8"),
            (["import", source.path, "--model", "r2plus1d_10", "--output", out], "which r2plus1d_10 cannot take"),
            (["import", source.path, "--model", "r2plus1d_18_tiny", "--layout", "timm", "--output", out], "unknown layout 'timm'"),
            (["import", source.path, "--model", "resnet50", "--output", out], "unknown model 'resnet50'"),
            (["import", folder.file("absent.safetensors").path, "--model", "r2plus1d_18", "--output", out], "absent.safetensors"),
            (["export", source.path, "--output", out], "is not a Kinema checkpoint"),
        ]
        for (arguments, message) in cases {
            let run = try CLIRunner.run(arguments)
            #expect(run.status != 0 && run.status < 128, "\(arguments): \(run.output)")
            #expect(run.output.contains(message), "\(arguments): \(run.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
