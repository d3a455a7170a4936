import Foundation
import KinemaMotion
import KinemaVideo
import Testing

/// A Middlebury .flo header (tag 202021.25, width, height) and `payload` bytes.
private func flo(width: Int32, height: Int32, payload: Int, tag: Float = 202021.25) -> Data {
    var bytes = Data()
    withUnsafeBytes(of: tag.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    withUnsafeBytes(of: width.littleEndian) { bytes.append(contentsOf: $0) }
    withUnsafeBytes(of: height.littleEndian) { bytes.append(contentsOf: $0) }
    return bytes + Data(count: payload)
}

@Suite struct FlowFileInputTests {
    @Test func flowFiles() throws {
        let scratch = Scratch(), matrix = Matrix("flow files")
        let cases: [(input: String, name: String, bytes: Data)] = [
            ("empty file", "empty.flo", Data()),
            ("wrong tag (a PNG renamed .flo)", "png.flo", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])),
            ("truncated data (4×3 field, 40 of 96 bytes)", "truncated.flo", flo(width: 4, height: 3, payload: 40)),
            ("negative width", "negative.flo", flo(width: -4, height: 3, payload: 96)),
            ("zero height", "zero.flo", flo(width: 4, height: 0, payload: 0)),
            ("header claiming 2³⁰ × 2³⁰ (an allocation bomb)", "bomb.flo", flo(width: 1 << 30, height: 1 << 30, payload: 64)),
            ("trailing bytes after the field", "long.flo", flo(width: 2, height: 2, payload: 40)),
        ]
        for item in cases {
            let file = try scratch.file(item.name, item.bytes)
            matrix.rejects(item.input, "FlowField(contentsOfMiddlebury:)", file: file) { _ = try FlowField(contentsOfMiddlebury: file) }
        }
        let good = try scratch.file("good.flo", flo(width: 2, height: 2, payload: 32))
        matrix.accepts("a valid 2×2 field", "FlowField(contentsOfMiddlebury:)") {
            let field = try FlowField(contentsOfMiddlebury: good)
            return "\(field.width)×\(field.height)"
        }
        // Kinema's float16 flow files (safetensors with a checksum per field).
        let flows = try scratch.file("flows.safetensors")
        try FlowField.writeFloat16([FlowField(width: 3, height: 2, vectors: [Float](repeating: 0.5, count: 12))], to: flows)
        var flipped = [UInt8](try Data(contentsOf: flows))
        flipped[flipped.count - 3] ^= 0x40
        let corrupt = try scratch.file("flipped.safetensors", Data(flipped))
        matrix.rejects("float16 flow file with a flipped bit", "FlowFieldFile.fields", file: corrupt, mentioning: "checksum") {
            _ = try FlowFieldFile(corrupt).fields(0..<1)
        }
        let padded = try scratch.file("padded.safetensors", try Data(contentsOf: flows) + Data(count: 8))
        matrix.rejects("float16 flow file with bytes after its last tensor", "FlowFieldFile", file: padded, mentioning: "after its last tensor") {
            _ = try FlowFieldFile(padded)
        }
        let noFlow = try scratch.file("no-flow.safetensors", try Data(contentsOf: flows).prefix(40))
        matrix.rejects("float16 flow file truncated in its header", "FlowFieldFile", file: noFlow) { _ = try FlowFieldFile(noFlow) }
        // 8-bit flow images (Kinema's quantised encoding): the two images must agree in size.
        let x = KinemaVideo.Image(width: 4, height: 3, format: .gray, filledWith: [128])
        let y = KinemaVideo.Image(width: 3, height: 4, format: .gray, filledWith: [128])
        let pair = try scratch.file("x-and-y")
        matrix.rejects("8-bit flow images of different sizes", "FlowField(quantizedX:y:)", file: pair, mentioning: "size mismatch") {
            do { _ = try FlowField(quantizedX: x, y: y) } catch { throw PairError(path: pair.path, error: "\(error)") }
        }
        try matrix.publish(folder: scratch.url)
    }
}

/// Names the pair of images (in-memory decoding has no file of its own).
private struct PairError: Error, CustomStringConvertible {
    let path: String
    let error: String
    var description: String { "\(path): \(error)" }
}
