import Foundation
import KinemaTensor

/// The bytes as a safetensors file for KinemaTensor's decoder (the path that loads checkpoints).
func fuzzSafetensors(_ input: Data, scratch: URL) -> Bool {
    let source = scratch.appendingPathComponent("input.safetensors")
    do { _ = try Safetensors.decode(input, source: source) } catch { return expectNames(source, error) }
    return true
}
