import Foundation
import KinemaFixtureSupport
import Testing

@testable import KinemaMotion

/// The committed parity fixture written by Tools/fixtures/gen_motion.py (scikit-image, PyTorch,
/// flowiz and numpy references), read without libtorch.
struct MotionFixture {
    static let url = FixtureProvenance.directory.appendingPathComponent("motion.safetensors")

    let tensors: [String: SafetensorsFile.Tensor]

    init() throws {
        let data = try Data(contentsOf: Self.url)
        if let failure = FixtureProvenance.failure(fixture: "motion", metadata: try SafetensorsFile.metadata(data)) {
            Issue.record(Comment(rawValue: failure))
            throw ProvenanceError()
        }
        tensors = try SafetensorsFile.decode(data)
    }

    struct ProvenanceError: Error {}

    func tensor(_ name: String, dtype: String) throws -> SafetensorsFile.Tensor {
        let t = try #require(tensors[name], "fixture has no '\(name)'; regenerate with `make fixtures`")
        try #require(t.dtype == dtype, "'\(name)' is \(t.dtype), expected \(dtype)")
        return t
    }

    func doubles(_ name: String) throws -> [Double] {
        let t = try tensor(name, dtype: "F64")
        return (0..<(t.data.count / 8)).map { i in
            Double(bitPattern: UInt64(t.data.littleEndianUInt32(at: 8 * i)) | UInt64(t.data.littleEndianUInt32(at: 8 * i + 4)) << 32)
        }
    }

    func floats(_ name: String) throws -> [Float] {
        let t = try tensor(name, dtype: "F32")
        return (0..<(t.data.count / 4)).map { Float(bitPattern: t.data.littleEndianUInt32(at: 4 * $0)) }
    }

    func bytes(_ name: String) throws -> [UInt8] { [UInt8](try tensor(name, dtype: "U8").data) }
}

/// Records the worst element when `actual` and `expected` are not close (`|a − e| ≤ atol + rtol·|e|`).
func expectClose<T: BinaryFloatingPoint>(
    _ actual: [T], _ expected: [T], rtol: Double, atol: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var worst = -1, worstExcess = 0.0
    for i in actual.indices {
        let (a, e) = (Double(actual[i]), Double(expected[i]))
        let excess = abs(a - e) - (atol + rtol * abs(e))
        if excess > 0 || a.isNaN != e.isNaN, worst < 0 || excess > worstExcess { (worst, worstExcess) = (i, excess) }
    }
    if worst >= 0 {
        Issue.record("\(what): at \(worst) got \(actual[worst]), expected \(expected[worst]) (rtol \(rtol), atol \(atol))",
                     sourceLocation: sourceLocation)
    }
}
