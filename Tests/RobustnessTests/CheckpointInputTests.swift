import Foundation
import KinemaOptim
import KinemaTensor
import KinemaTrain
import Testing

/// A safetensors file from a header written by hand (what a damaged or hostile file can hold).
private func safetensors(header: String, data: Data = Data(count: 16), length: UInt64? = nil) -> Data {
    let json = Data(header.utf8)
    var bytes = Data()
    withUnsafeBytes(of: (length ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
    return bytes + json + data
}

@Suite struct CheckpointInputTests {
    @Test func checkpointFiles() throws {
        let scratch = Scratch(), matrix = Matrix("checkpoints")
        let valid = try scratch.file("valid.safetensors")
        try Checkpoint(step: 3, model: ["fc.weight": Tensor.ones([4, 4])], modelDescription: "test").save(to: valid)
        let whole = try Data(contentsOf: valid)

        let cases: [(input: String, name: String, bytes: Data, mentioning: String?)] = [
            ("empty file (0 bytes)", "empty", Data(), nil),
            ("7 bytes: shorter than the length field", "short", Data([1, 2, 3, 4, 5, 6, 7]), nil),
            ("truncated at half", "truncated", whole.prefix(whole.count / 2), nil),
            ("header length beyond the file (2⁴⁰)", "long-header", safetensors(header: "{}", length: 1 << 40), nil),
            ("header length 2⁶⁴ − 1", "max-header", safetensors(header: "{}", length: .max), nil),
            ("header that is not JSON", "not-json", safetensors(header: "not json at all!"), nil),
            ("offsets past the end of the data", "out-of-range",
             safetensors(header: #"{"model.w":{"dtype":"F32","shape":[2],"data_offsets":[0,1000000000000]}}"#), nil),
            ("overlapping offsets", "overlap",
             safetensors(header: #"{"model.a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"model.b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#), "overlaps"),
            ("shape and dtype disagree with the byte count", "mismatch",
             safetensors(header: #"{"model.w":{"dtype":"F32","shape":[4],"data_offsets":[0,8]}}"#), nil),
            ("shape whose element count overflows", "overflow",
             safetensors(header: #"{"model.w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,16]}}"#), nil),
            ("negative dimension", "negative",
             safetensors(header: #"{"model.w":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}"#), nil),
            ("unknown dtype", "dtype", safetensors(header: #"{"model.w":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#), nil),
            ("duplicate tensor names", "duplicate",
             safetensors(header: #"{"model.w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"model.w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#), "two entries under one name"),
            ("a safetensors file that is not a Kinema checkpoint", "plain",
             safetensors(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#), nil),
        ]
        for item in cases {
            let file = try scratch.file("\(item.name).safetensors", item.bytes)
            matrix.rejects(item.input, "Checkpoint.load", file: file, mentioning: item.mentioning) { _ = try Checkpoint.load(file) }
        }
        // Tensor names that are not UTF-8: the header's bytes are invalid JSON text.
        var raw = safetensors(header: #"{"model.X":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#)
        if let x = raw.firstIndex(of: UInt8(ascii: "X")) { raw[x] = 0xFF }
        let latin = try scratch.file("non-utf8.safetensors", raw)
        matrix.rejects("a tensor name that is not UTF-8", "Checkpoint.load", file: latin) { _ = try Checkpoint.load(latin) }

        // A whole checkpoint of another network: loading it as the named model lists what differs.
        let wrong = try scratch.file("wrong-model.safetensors")
        try Checkpoint(
            step: 1, model: ["fc.weight": Tensor.ones([4, 4]), "fc.bias": Tensor.zeros([4])],
            metadata: ["config": #"{"model":{"name":"r3d_18_tiny"}}"#]
        ).save(to: wrong)
        matrix.rejects("a checkpoint of another network (for --pretrained)", "PretrainedBackbone.load", file: wrong) {
            _ = try PretrainedBackbone.load(wrong)
        }
        let folder = try scratch.file("not-a-run")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        matrix.rejects("a folder that is no run (for --pretrained)", "PretrainedBackbone.load", file: folder) {
            _ = try PretrainedBackbone.load(folder)
        }
        try matrix.publish(folder: scratch.url)
    }
}
