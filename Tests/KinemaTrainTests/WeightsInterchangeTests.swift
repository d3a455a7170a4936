import Foundation
import KinemaData
import KinemaMediaTestSupport
import KinemaModels
import KinemaNN
import KinemaOptim
import KinemaTensor
import KinemaTestSupport
import KinemaTrain
import Testing

// `kinema import` / `kinema export` and `finetune --pretrained` on outside state dicts. Reference:
// Tools/fixtures/gen_interop.py — a random torchvision R(2+1)D-18 (its own modules, at width 8,
// 10 classes: r2plus1d_18_tiny) state dict exactly as torchvision's load_state_dict(strict=True)
// takes it, and its eval logits on one clip, computed in float64 and rounded to float32.
@Suite struct WeightsInterchangeTests {
    let fx: Safetensors.Contents
    let folder = TemporaryFolder()
    let torchvisionFile: URL

    init() throws {
        fx = try fixture("interop")
        torchvisionFile = folder.file("r2plus1d_18.safetensors")
        try Safetensors.save(Safetensors.Contents(tensors: fx.subset("torchvision.state."), metadata: ["format": "pt"]), to: torchvisionFile)
    }

    /// torchvision → Kinema → torchvision: the imported model gives torchvision's logits, and the
    /// exported file holds exactly the keys, shapes, dtypes (BatchNorm's int64 counters included)
    /// and values torchvision's strict loading takes.
    @Test func torchvisionRoundTrip() throws {
        let imported = folder.file("imported.safetensors")
        let summary = try WeightsImport.run(source: torchvisionFile, model: .r2plus1d18Tiny, output: imported)
        #expect(summary.layout == .torchvision)
        #expect((summary.width, summary.classes) == (8, 10))

        // The logits, in float64 from the checkpoint's float32 weights: to the fixture's float32
        // rounding (2⁻²⁴ relative) plus float64's reduction error (WeightLayoutTests.atol's bound).
        let pretrained = try PretrainedBackbone.load(imported)
        #expect(pretrained.name == .r2plus1d18Tiny && pretrained.normalization == .torchvision)
        let model = try VideoResNet(ParameterStore(dtype: .float64).root, variant: .r2plus1d18, classes: 10, width: 8)
        try model.loadStateDict(pretrained.backbone.stateDict())
        let logits = withNoGrad { model(try! fx.tensor("x").to(.float64), mode: .eval) }
        expectClose(
            logits, try fx.tensor("torchvision.eval_out"), rtol: 1 / Double(1 << 24),
            atol: 40 * 2 * 1728 * 10 * Double.ulpOfOne, "logits after import")

        let exported = folder.file("exported.safetensors")
        let written = try WeightsExport.run(checkpoint: imported, output: exported)
        #expect(written.layout == .torchvision)
        #expect(written.pythonLines.contains("strict=True"))
        #expect(written.pythonLines.contains("torchvision_model(\"r2plus1d_18\", 8, 10)"))
        let back = try Safetensors.load(exported).tensors
        let original = fx.subset("torchvision.state.")
        #expect(Set(back.keys) == Set(original.keys))
        for (key, tensor) in original {
            let other = try #require(back[key], "\(key) missing")
            #expect(other.dtype == tensor.dtype && other.shape == tensor.shape, "\(key)")
            #expect(other.isEqual(to: tensor), "\(key) changed")
        }
        #expect(back["stem.1.num_batches_tracked"]?.dtype == .int64)
    }

    /// `finetune --pretrained` takes a torchvision file as it is: every tensor but the classifier,
    /// which keeps its fresh initialisation for the new classes.
    @Test func finetuneStartsFromATorchvisionFile() throws {
        let model = try ModelName.r2plus1d18Tiny.make(ParameterStore().root, classes: 5)
        let freshHead = model.head.weight.copied()
        let weights = try model.loadPretrained(
            from: torchvisionFile, name: .r2plus1d18Tiny, width: 8, normalization: .torchvision)
        #expect(weights.format == "torchvision state dict")
        let state = model.stateDict()
        for (key, tensor) in fx.subset("torchvision.state.") where !key.hasPrefix("fc.") {
            #expect(state[key]?.isEqual(to: tensor) == true, "\(key)")
        }
        #expect(model.head.weight.isEqual(to: freshHead))
        // Other statistics than the layout's usual ones are taken, and said.
        let other = try ModelName.r2plus1d18Tiny.make(ParameterStore().root, classes: 5)
        let noted = try other.loadPretrained(from: torchvisionFile, name: .r2plus1d18Tiny, width: 8, normalization: .kinetics)
        #expect(noted.notes.contains { $0.contains("data.normalization=torchvision") })

        // And from the checkpoint `kinema import` writes, as from a Kinema run.
        let imported = folder.file("imported.safetensors")
        _ = try WeightsImport.run(source: torchvisionFile, model: .r2plus1d18Tiny, output: imported)
        let viaImport = try ModelName.r2plus1d18Tiny.make(ParameterStore().root, classes: 5)
        let read = try viaImport.loadPretrained(from: imported, name: .r2plus1d18Tiny, width: 8, normalization: .torchvision)
        #expect(read.format == "Kinema checkpoint (r2plus1d_18_tiny, step 0)")
        #expect(viaImport.stateDict()["layer4.1.conv2.1.weight"]?.isEqual(to: try fx.tensor("torchvision.state.layer4.1.conv2.1.weight")) == true)
    }

    /// A VideoMAE-family ViT goes out in transformers' names and comes back to the same tensors.
    @Test func vitExportsAndImportsBack() throws {
        let source = try ModelName.vitS16Tiny.make(ParameterStore().root, classes: 7)
        let file = folder.file("vit-hf.safetensors")
        try Safetensors.save(Safetensors.Contents(tensors: try WeightLayout.hf.exported(source.stateDict())), to: file)
        let imported = folder.file("vit.safetensors")
        let summary = try WeightsImport.run(source: file, model: .vitS16Tiny, output: imported)
        #expect(summary.layout == .hf && summary.classes == 7 && summary.width == 192)

        let exported = folder.file("vit-back.safetensors")
        _ = try WeightsExport.run(checkpoint: imported, layout: .hf, output: exported)
        let original = try Safetensors.load(file).tensors
        let back = try Safetensors.load(exported).tensors
        #expect(Set(back.keys) == Set(original.keys))
        for (key, tensor) in original { #expect(back[key]?.isEqual(to: tensor) == true, "\(key)") }
    }

    /// Wrong input ends in an error naming the file and the fix, never a crash.
    @Test func badInputIsRefusedClearly() throws {
        let out = folder.file("never.safetensors")
        let pth = folder.file("model.pth")
        try Data("not read".utf8).write(to: pth)
        let pickled = try #require(throws: TrainingRunError.self) {
            try WeightsImport.run(source: pth, model: .r2plus1d18, output: out)
        }
        #expect(pickled.description.contains("Tools/convert/pth_to_safetensors.py \(pth.path)"))

        let wrongModel = try #require(throws: TrainingRunError.self) {
            try WeightsImport.run(source: torchvisionFile, model: .r3d18Tiny, output: out)
        }
        #expect(wrongModel.description.contains(torchvisionFile.path) && wrongModel.description.contains("layer1.0.conv1.0.weight"))

        let wrongFamily = try #require(throws: TrainingRunError.self) {
            try WeightsImport.run(source: torchvisionFile, model: .r2plus1d10Tiny, output: out)
        }
        #expect(wrongFamily.description.contains("torchvision-layout weights"))

        let unknown = folder.file("unknown.safetensors")
        try Safetensors.save(Safetensors.Contents(tensors: ["conv.weight": Tensor.zeros([2])]), to: unknown)
        let unknownLayout = try #require(throws: TrainingRunError.self) {
            try WeightsImport.run(source: unknown, model: .r2plus1d18, output: out)
        }
        #expect(unknownLayout.description.contains("conv.weight") && unknownLayout.description.contains("--layout"))

        let notSafetensors = folder.file("garbage.safetensors")
        try Data(repeating: 0xFF, count: 64).write(to: notSafetensors)
        #expect(throws: TrainingRunError.self) { try WeightsImport.run(source: notSafetensors, model: .r2plus1d18, output: out) }
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let predicting = try #require(throws: TrainingRunError.self) { try ClassifierCheckpoint.load(torchvisionFile) }
        #expect(predicting.description.contains("import it first with `kinema import \(torchvisionFile.path)"))

        let imported = folder.file("imported.safetensors")
        _ = try WeightsImport.run(source: torchvisionFile, model: .r2plus1d18Tiny, output: imported)
        #expect(try ClassifierCheckpoint.load(imported).classes == 10)
        let wrongLayout = try #require(throws: TrainingRunError.self) {
            try WeightsExport.run(checkpoint: imported, layout: .hf, output: out)
        }
        #expect(wrongLayout.description.contains("exports as torchvision"))
    }
}
