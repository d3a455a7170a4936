import Foundation
import Testing

// The layering of docs/architecture-notes.md ("Layers (edges point down only)"), checked on the
// source text: each module may import only the Kinema modules the picture draws below it (with its
// two cuts: the video side has no libtorch, and only the trainer optimises), and only the engine
// layers may import the C shims, with `internal import` so no C type reaches a public signature.

private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Kinema modules each target may import: the table of docs/architecture-notes.md (third-party and
/// system modules are not restricted here).
private let allowed: [String: Set<String>] = {
    let compute: Set = ["KinemaNN", "KinemaTensor", "KinemaFiles"]
    let video: Set = ["KinemaMotion", "KinemaVideo", "KinemaFiles"]
    let data = video.union(compute)
    let models = data.union(["KinemaData"])
    let pretext = models.union(["KinemaModels"])
    let visualize = pretext.union(["KinemaPretext"])
    let train = visualize.union(["KinemaVisualize", "KinemaOptim"])
    return [
        "kinema": train.union(["KinemaTrain"]),
        "KinemaTrain": train,
        "KinemaVisualize": visualize,
        "KinemaPretext": pretext,
        "KinemaModels": models,
        "KinemaData": data,
        "KinemaMotion": ["KinemaVideo", "KinemaFiles", "CKinemaCV"],
        "KinemaVideo": ["KinemaFiles", "CKinemaCV"],
        "KinemaChecks": compute.union(["KinemaModels", "KinemaOptim"]),
        "KinemaOptim": compute,
        "KinemaNN": ["KinemaTensor", "KinemaFiles"],
        "KinemaTensor": ["KinemaFiles", "CKinemaTorch"],
        "KinemaFiles": [],
    ]
}()

private let cShims: Set<String> = ["CKinemaTorch", "CKinemaCV"]

/// (module, full import line) for every import of a Kinema or C-shim module in a target's sources.
private func kinemaImports(of target: String) throws -> [(module: String, line: String)] {
    let folder = repository.appendingPathComponent("Sources/\(target)")
    guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
    var found: [(String, String)] = []
    for case let file as URL in files where file.pathExtension == "swift" {
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            guard let i = words.firstIndex(of: "import"), i + 1 < words.count else { continue }
            let module = words[i + 1]
            if module.hasPrefix("Kinema") || cShims.contains(module) { found.append((module, String(line))) }
        }
    }
    return found
}

/// The library targets and the `kinema` executable: everything the picture draws (the benchmark
/// executables stand beside it and are not checked).
private func sourceTargets() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("Sources").path)
        .filter { $0.hasPrefix("Kinema") || $0 == "kinema" }
}

@Test func importsPointDownOnly() throws {
    for target in try sourceTargets() {
        let permitted = try #require(
            allowed[target], "add \(target) to the layer picture in docs/architecture-notes.md and to the table here")
        for (module, line) in try kinemaImports(of: target) {
            #expect(permitted.contains(module), "\(target) must not import \(module): \(line)")
        }
    }
}

/// The table in docs/architecture-notes.md is the one this file enforces, row for row.
@Test func documentedTableMatches() throws {
    let notes = try String(
        contentsOf: repository.appendingPathComponent("docs/architecture-notes.md"), encoding: .utf8)
    var documented: [String: Set<String>] = [:]
    for line in notes.split(separator: "\n") where line.hasPrefix("| `") {
        let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard cells.count == 2 else { continue }
        let names = cells.map { cell in
            cell.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }
        }
        documented[names[0][0]] = Set(names[1].filter { $0 != "—" })
    }
    #expect(documented == allowed)
}

@Test func cShimsAreImportedInternally() throws {
    for target in try sourceTargets() {
        for (module, line) in try kinemaImports(of: target) where cShims.contains(module) {
            #expect(line.hasPrefix("internal import"), "\(target) must use `internal import \(module)`: \(line)")
        }
    }
}

/// Every exported function of the shims either runs its body inside KINEMA_GUARD or is one of the
/// trivial accessors that cannot throw (frees, error-record reads, name lookups, pushes that catch
/// internally).
@Test func everyShimEntryPointIsGuarded() throws {
    let exemptPrefixes = ["kt_last_error", "kt_clear_last_error", "kt_string_free", "kt_tensor_free",
        "kt_generator_free", "kt_torch_version", "kt_torch_runtime_version", "kt_is_grad_enabled", "kt_dtype_name",
        "kt_results_clear", "kt_args_begin",
        "kt_arg_", "kt_call_tensor", "kcv_last_error", "kcv_clear_last_error", "kcv_string_free", "kcv_opencv_version",
        "kcv_mat_free", "kcv_capture_free", "kcv_writer_free", "kcv_flow_free"]
    let shim = repository.appendingPathComponent("Shim")
    guard let files = FileManager.default.enumerator(at: shim, includingPropertiesForKeys: nil) else { return }
    for case let file as URL in files where file.pathExtension == "cpp" {
        let text = try String(contentsOf: file, encoding: .utf8)
        // Top-level definitions of exported functions: "<type> k(t|cv)_name(...) {".
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, line) in lines.enumerated() {
            guard let range = line.range(of: #"^[a-z_0-9 ]*\*?\s*(kt|kcv)_[a-z_0-9]+\("#, options: .regularExpression),
                !line.hasPrefix(" "), !line.hasSuffix(";")
            else { continue }
            let name = line[range].split(separator: "(").first!.split(separator: " ").last!
                .trimmingCharacters(in: CharacterSet(charactersIn: "*"))
            // `*_free` and `kt_results_clear` only delete (destructors do not throw); the others read plain fields.
            if name.hasSuffix("_free") || exemptPrefixes.contains(where: { name.hasPrefix($0) }) { continue }
            // The body runs to the function's closing brace at column 0 (or ends on its own line).
            let end = line.hasSuffix("}") ? i : (lines[(i + 1)...].firstIndex { $0.hasPrefix("}") } ?? lines.count - 1)
            let body = lines[i...end].joined(separator: "\n")
            #expect(body.contains("KINEMA_GUARD"), "\(file.lastPathComponent): \(name) must wrap its body in KINEMA_GUARD")
        }
    }
}
