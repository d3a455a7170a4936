import Foundation

/// The readers of untrusted files that `make fuzz` drives with libFuzzer and `make test` replays
/// with the committed corpus (docs/fuzzing.md). Each target feeds one input to a reader: a thrown
/// error is the reader doing its job; a trap, a crash, a hang or a huge allocation is a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// KinemaTensor's safetensors decoder (checkpoints, fixtures, exported weights).
    case safetensors
    /// Flow files: Middlebury `.flo` and Kinema's float16 safetensors flow (first byte chooses).
    case flow
    /// Trajectory safetensors files.
    case trajectories
    /// A YAML config layer resolved onto one of the run configs (first byte chooses).
    case config
    /// The dataset annotation parsers: UCF101, HMDB51, Kinetics, Something-Something v2 and
    /// path-label lists, and IDX images (first byte chooses; NUL separates the two files of UCF101
    /// and SSv2).
    case annotations
    /// Image decoding through the OpenCV shim, and the GIF writer on what decodes.
    case image

    /// Feeds `input` to the target's reader and says whether the reader accepted it (false: it
    /// threw). Files it needs are written under `scratch`, an existing folder of the caller's that
    /// may be reused from one input to the next.
    @discardableResult
    public func run(_ input: Data, scratch: URL) -> Bool {
        switch self {
        case .safetensors: fuzzSafetensors(input, scratch: scratch)
        case .flow: fuzzFlow(input, scratch: scratch)
        case .trajectories: fuzzTrajectories(input, scratch: scratch)
        case .config: fuzzConfig(input)
        case .annotations: fuzzAnnotations(input, scratch: scratch)
        case .image: fuzzImage(input, scratch: scratch)
        }
    }
}

/// The first byte of an input as a choice among `count` readers, and the rest as the file.
func choose(_ input: Data, among count: Int) -> (choice: Int, rest: Data) {
    guard let first = input.first else { return (0, Data()) }
    return (Int(first) % count, input.dropFirst())
}

/// Writes `bytes` to `name` in `scratch` (a failure to write is the harness's problem, not the reader's).
func scratchFile(_ name: String, _ bytes: Data, in scratch: URL) -> URL {
    let url = scratch.appendingPathComponent(name)
    do { try bytes.write(to: url) } catch { fatalError("fuzz harness cannot write \(url.path): \(error)") }
    return url
}

/// A reader's error must name the file it read, so a user knows which file to fix: an error that
/// does not is a finding too. Returns false (the input was refused).
func expectNames(_ file: URL, _ error: any Error) -> Bool {
    let text = "\(error)"
    guard text.contains(file.lastPathComponent) else { fatalError("the error does not name \(file.path): \(text)") }
    return false
}
