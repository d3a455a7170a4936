import KinemaModels
import KinemaTestSupport
import Testing

// Parameter counts, pinned to independent references: torchvision's own constructors (r3d_18,
// mc3_18, r2plus1d_18 with 400 classes: 33,371,472 / 11,695,440 / 31,505,325) and the official
// MoSI layout (R(2+1)D-10: 14,370,094 with the 9-way pretext head, 14,417,290 with 101 classes;
// R-2D3D-18: 14,059,849 / 14,083,493), all counted by Tools/fixtures/gen_models.py, which also
// checks the MoSI ones against docs/reference-implementations.md §2.2–2.3 (14.37 M / 14.42 M, 14.06 M / 14.08 M).
@Suite struct ParameterCountTests {
    let fx: Safetensors.Contents
    init() throws { fx = try fixture("models") }

    private func reference(_ key: String) throws -> Int { Int(try fx.tensor("count.\(key)").item(Int64.self)) }

    /// Every registered model at its default width and head (full-size models are only built,
    /// never run).
    @Test(arguments: ModelName.allCases)
    func registryCountIsTheReferenceCount(_ name: ModelName) throws {
        let key = name.spec.width == 64 && name.spec.classes == 101 ? "\(name).classes101" : name.rawValue
        #expect(name.spec.parameterCount == (try reference(key)))
        let model = try name.make(ParameterStore().root)
        #expect(model.parameterCount == name.spec.parameterCount)
    }

    @Test(arguments: [(ResNet3D.Variant.r2plus1d, 10), (.r2d3d, 18)])
    func mosiBackbonesWithTheNineWayPretextHead(_ variant: ResNet3D.Variant, depth: Int) throws {
        let model = try ResNet3D(ParameterStore().root, variant: variant, depth: depth, classes: 9)
        #expect(model.parameterCount == (try reference("\(variant.rawValue)_\(depth).classes9")))
    }
}
