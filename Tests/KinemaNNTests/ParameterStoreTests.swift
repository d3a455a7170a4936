import KinemaNN
import KinemaTestSupport
import Testing

@Suite struct ParameterStoreTests {
    @Test func pathsJoinComponentsWithDots() {
        let root = ParameterStore().root
        #expect(root.name == "" && root.description == "<root>")
        #expect((root / "layer1" / 0 / "conv1").name == "layer1.0.conv1")
        #expect((root / "blocks.3" / "mlp").components == ["blocks", "3", "mlp"])
        #expect((root / "head").key("weight") == "head.weight")
        #expect(root.key("pos_embed") == "pos_embed")
    }

    @Test func registeringANameTwiceIsAnError() throws {
        let root = ParameterStore().root
        _ = try Linear(root / "fc", inFeatures: 2, outFeatures: 3)
        let error = #expect(throws: ModuleError.self) { try Linear(root / "fc", inFeatures: 2, outFeatures: 3) }
        #expect(error?.kind == .duplicateName)
        #expect(error?.message == "'fc.weight' is already registered")
        #expect(root.stateDict().count == 2, "nothing was renamed or added")
    }

    @Test func aTensorNameCannotAlsoBeAModule() throws {
        let root = ParameterStore().root
        try root.parameter("scale", shape: [1])
        let under = #expect(throws: ModuleError.self) { try Linear(root / "scale", inFeatures: 2, outFeatures: 2) }
        #expect(under?.kind == .nameConflict)
        _ = try Linear(root / "fc", inFeatures: 2, outFeatures: 2)
        let over = #expect(throws: ModuleError.self) { try root.parameter("fc", shape: [1]) }
        #expect(over?.kind == .nameConflict)
        #expect(over?.message.contains("'fc' is already a module holding 'fc.weight'") == true)
    }

    @Test func parametersAreLeavesAndBuffersAreNot() throws {
        let store = ParameterStore(dtype: .float64)
        let p = try store.root.parameter("w", shape: [2, 2])
        let b = try store.root.buffer("count", Tensor.zeros([], dtype: .int64))
        #expect(p.requiresGrad && p.isLeaf && p.dtype == .float64)
        #expect(!b.requiresGrad)
        #expect(store.entries.map(\.kind) == [.parameter, .buffer])
        #expect(store.entry(named: "count")?.tensor.isSameTensor(as: b) == true)
        #expect(throws: ModuleError.self) { try store.root.parameter("index", Tensor.zeros([2], dtype: .int64)) }
    }

    @Test func freezingControlsWhatAnOptimizerSees() throws {
        let net = try TinyNet(ParameterStore().root)
        let all = net.namedParameters().map(\.name)
        #expect(net.trainableParameters().map(\.name) == all)
        net.stem.freeze()
        #expect(net.trainableParameters().map(\.name) == all.filter { !$0.hasPrefix("stem.") })
        #expect(!net.stem.namedParameters().contains { $0.tensor.requiresGrad })
        net.stem.unfreeze()
        #expect(net.trainableParameters().count == all.count)
        // Names are relative, and the count covers every element (BatchNorm buffers excluded).
        #expect(net.head.trainableParameters().map(\.name) == ["weight", "bias"])
        #expect(net.parameterCount == (4 * 3 * 9 + 4) + 8 + 2 * (16 * 9 + 8 + 16 + 4) + (3 * 4 + 3))
    }

    @Test func removingASubtreeLetsAHeadBeReplaced() throws {
        let store = ParameterStore()
        let net = try TinyNet(store.root)
        store.removeAll(under: store.root / "head")
        #expect(!store.root.stateDict().keys.contains { $0.hasPrefix("head.") })
        let head = try Linear(store.root / "head", inFeatures: 4, outFeatures: 10)
        #expect(store.root.stateDict()["head.weight"]?.shape == [10, 4])
        #expect(net.layer1.stateDict().count == 2 * 8)
        _ = head
    }
}
