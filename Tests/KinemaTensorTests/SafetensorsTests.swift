import Foundation
import KinemaTensor
import KinemaTestSupport
import Testing

/// The safetensors reader and writer: round trips, and clear errors for damaged files. (Reading
/// files PyTorch wrote is exercised by every parity test.)
@Suite struct SafetensorsTests {
    private let source = URL(fileURLWithPath: "/tmp/example.safetensors")

    @Test func roundTripKeepsEveryDtypeShapeAndMetadata() throws {
        var contents = Safetensors.Contents(metadata: ["generator": "test"])
        for (i, dtype) in DType.allCases.enumerated() {
            contents.tensors["t\(i)"] = (Tensor.arange(0, 6, dtype: .float32) - 2).reshaped([2, 3]).to(dtype)
        }
        contents.tensors["scalar"] = Tensor(scalar: 2.5)
        contents.tensors["empty"] = Tensor.zeros([0, 3])
        let decoded = try Safetensors.decode(Safetensors.encode(contents), source: source)
        #expect(decoded.metadata == ["generator": "test"])
        #expect(Set(decoded.tensors.keys) == Set(contents.tensors.keys))
        for (name, tensor) in contents.tensors {
            let back = try #require(decoded.tensors[name])
            #expect(back.dtype == tensor.dtype && back.isEqual(to: tensor), "\(name) \(tensor.dtype)")
        }
        for dtype in DType.allCases {
            #expect(DType(safetensorsName: dtype.safetensorsName) == dtype)
        }
    }

    @Test func savingIsAtomicAndLoadable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kinema-st-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nested/weights.safetensors")
        let weight = Tensor.randn([3, 2], generator: try Generator(seed: 1))
        try Safetensors.save(Safetensors.Contents(tensors: ["w": weight]), to: url)
        #expect(try Safetensors.load(url).tensors["w"]?.isEqual(to: weight) == true)
    }

    @Test func damagedFilesThrowNamingTheProblem() throws {
        let good = Safetensors.encode(Safetensors.Contents(tensors: ["w": Tensor.ones([4])]))
        func reason(_ data: Data) -> String? {
            do {
                _ = try Safetensors.decode(data, source: source)
                return nil
            } catch {
                #expect(error.path == source.path)
                return error.reason
            }
        }
        #expect(reason(Data([1, 2, 3]))?.contains("too short") == true)
        #expect(reason(good.prefix(good.count - 4))?.contains("truncated") == true)
        var hugeHeader = good
        hugeHeader.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Data($0) })
        #expect(reason(hugeHeader)?.contains("header") == true)
        let badJSON = Data(withUnsafeBytes(of: UInt64(4).littleEndian) { Data($0) } + Data("{{{{".utf8))
        #expect(reason(badJSON)?.contains("not valid JSON") == true)
        let header = #"{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#
        let unsupported = Data(withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Data($0) })
            + Data(header.utf8) + Data(count: 8)
        #expect(reason(unsupported)?.contains("C64") == true)
        #expect(throws: SafetensorsError.self) { try Safetensors.load(URL(fileURLWithPath: "/nonexistent/x.safetensors")) }
    }
}

/// Engine settings and small value types.
@Suite struct EngineAndDeviceTests {
    @Test func theLoadedLibtorchIsTheOneWeBuiltAgainst() throws {
        try Engine.checkVersions()
        #expect(Engine.compiledTorchVersion == "2.11.0")
        #expect(Engine.threadCount >= 1)
    }

    @Test func devicesParseLikePyTorch() {
        #expect(Device(parsing: "cpu") == .cpu)
        #expect(Device(parsing: "CUDA") == .cuda(0))
        #expect(Device(parsing: "cuda:1") == .cuda(1))
        #expect(Device(parsing: "cuda:-1") == nil && Device(parsing: "tpu") == nil && Device(parsing: "cpu:0") == nil)
        #expect(Device.cuda(2).description == "cuda:2" && Device.cpu.description == "cpu")
        #expect(Device.available.first == .cpu)
    }

    @Test func gradModeIsScopedAndRestored() {
        #expect(Engine.isGradEnabled)
        withNoGrad {
            #expect(!Engine.isGradEnabled)
            withGrad { #expect(Engine.isGradEnabled) }
            #expect(!Engine.isGradEnabled)
        }
        #expect(Engine.isGradEnabled)
    }
}
