import Foundation
import KinemaFixtureSupport
import KinemaTensor
import Testing

/// Loads a committed fixture file by name, e.g. `fixture("ops")` reads Tests/Fixtures/ops.safetensors,
/// after checking its provenance (``FixtureProvenance``). Every tensor in it keeps the name the
/// generator gave it.
public func fixture(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Safetensors.Contents {
    let url = FixtureProvenance.directory.appendingPathComponent("\(name).safetensors")
    guard FileManager.default.fileExists(atPath: url.path) else {
        Issue.record(
            "missing fixture \(url.path); regenerate with `make fixtures`", sourceLocation: sourceLocation)
        throw FixtureError.missing(name)
    }
    let contents = try Safetensors.load(url)
    if let failure = FixtureProvenance.failure(fixture: name, metadata: contents.metadata) {
        Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        throw FixtureError.provenance(name)
    }
    return contents
}

public enum FixtureError: Error {
    case missing(String)
    case missingTensor(String)
    case provenance(String)
}

extension Safetensors.Contents {
    /// The tensor called `name`, or a recorded issue naming the generator to re-run.
    public func tensor(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Tensor {
        guard let t = tensors[name] else {
            Issue.record("fixture has no tensor '\(name)'; regenerate with `make fixtures`", sourceLocation: sourceLocation)
            throw FixtureError.missingTensor(name)
        }
        return t
    }

    /// The tensor called `name`, or nil when the generator recorded that it deliberately stores
    /// none (metadata "absent": e.g. the gradient of an input the op is not differentiable in).
    /// Anything else missing is a recorded issue: a check is never skipped silently.
    public func tensorUnlessAbsent(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Tensor? {
        if let t = tensors[name] { return t }
        if absentNames.contains(name) { return nil }
        Issue.record(
            "fixture has neither tensor '\(name)' nor an 'absent' entry for it; regenerate with `make fixtures`",
            sourceLocation: sourceLocation)
        throw FixtureError.missingTensor(name)
    }

    /// The tensors whose names start with `prefix`, keyed by the rest of the name (a case's state
    /// dict, gradients, …).
    public func subset(_ prefix: String) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: tensors.compactMap { key, value in
            key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), value) : nil
        })
    }

    /// The names listed in the metadata's "absent" object.
    var absentNames: Set<String> {
        guard let json = metadata["absent"]?.data(using: .utf8),
            let absent = try? JSONSerialization.jsonObject(with: json) as? [String: Any]
        else { return [] }
        return Set(absent.keys)
    }
}

/// allclose with both tolerances (`|a - e| <= atol + rtol * |e|`), reporting the shapes or the
/// worst element and its index when they differ.
public func expectClose(
    _ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-5, atol: Double = 1e-6,
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.shape == expected.shape else {
        let note = comment.map { " — \($0)" } ?? ""
        Issue.record("shape \(actual.shape) != expected \(expected.shape)\(note)", sourceLocation: sourceLocation)
        return
    }
    let a = actual.detached().to(.float64).array(of: Double.self)
    let e = expected.detached().to(.float64).array(of: Double.self)
    var worst = -1
    var worstExcess = 0.0
    for i in a.indices {
        let diff = Swift.abs(a[i] - e[i])
        let allowed = atol + rtol * Swift.abs(e[i])
        let bad = diff > allowed || (a[i].isNaN != e[i].isNaN)
        if bad && (worst < 0 || diff - allowed > worstExcess) {
            worst = i
            worstExcess = diff - allowed
        }
    }
    if worst >= 0 {
        let index = unravel(worst, shape: expected.shape)
        let diff = Swift.abs(a[worst] - e[worst])
        let note = comment.map { " — \($0)" } ?? ""
        Issue.record(
            "not close (rtol \(rtol), atol \(atol)): at \(index) got \(a[worst]), expected \(e[worst]) (|diff| \(diff))\(note)",
            sourceLocation: sourceLocation)
    }
}

private func unravel(_ flat: Int, shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for d in shape.indices.reversed() where shape[d] > 0 {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return index
}
