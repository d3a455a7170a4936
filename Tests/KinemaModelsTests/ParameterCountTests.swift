import KinemaModels
import KinemaTestSupport
import Testing

// Parameter counts, pinned to independent references: torchvision's own constructors (r3d_18,
// mc3_18, r2plus1d_18 with 400 classes: 33,371,472 / 11,695,440 / 31,505,325) and the official
// MoSI layout (R(2+1)D-10: 14,370,094 with the 9-way pretext head, 14,417,290 with 101 classes;
// R-2D3D-18: 14,059,849 / 14,083,493), all counted by Tools/fixtures/gen_models.py, which also
// checks the MoSI ones against docs/reference-implementations.md §2.2–2.3 (14.37 M / 14.42 M, 14.06 M / 14.08 M);
// the ViTs: transformers' VideoMAEForVideoClassification at the registry's sizes, which
// Tools/fixtures/gen_vit.py checks against the official VideoMAE layout.
@Suite struct ParameterCountTests {
    let fx: Safetensors.Contents
    let vit: Safetensors.Contents
    init() throws { (fx, vit) = (try fixture("models"), try fixture("vit")) }

    private func reference(_ key: String, in fixture: Safetensors.Contents? = nil) throws -> Int {
        Int(try (fixture ?? fx).tensor("count.\(key)").item(Int64.self))
    }

    /// Every registered model at its default width and head (full-size models are only built,
    /// never run).
    @Test(arguments: ModelName.allCases)
    func registryCountIsTheReferenceCount(_ name: ModelName) throws {
        if case .visionTransformer = name.spec.architecture {
            #expect(name.spec.parameterCount == (try reference(name.rawValue, in: vit)))
        } else {
            let key = name.spec.width == 64 && name.spec.classes == 101 ? "\(name).classes101" : name.rawValue
            #expect(name.spec.parameterCount == (try reference(key)))
        }
        let model = try name.make(ParameterStore().root)
        #expect(model.parameterCount == name.spec.parameterCount)
    }

    @Test(arguments: [(ResNet3D.Variant.r2plus1d, 10), (.r2d3d, 18)])
    func mosiBackbonesWithTheNineWayPretextHead(_ variant: ResNet3D.Variant, depth: Int) throws {
        let model = try ResNet3D(ParameterStore().root, variant: variant, depth: depth, classes: 9)
        #expect(model.parameterCount == (try reference("\(variant.rawValue)_\(depth).classes9")))
    }
}
