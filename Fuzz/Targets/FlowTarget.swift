import Foundation
import KinemaMotion

/// The rest of the input as a Middlebury `.flo` file, or as a float16 flow file read field by field.
func fuzzFlow(_ input: Data, scratch: URL) -> Bool {
    let (choice, bytes) = choose(input, among: 2)
    if choice == 0 {
        let url = scratchFile("input.flo", bytes, in: scratch)
        do { _ = try FlowField(contentsOfMiddlebury: url) } catch { return expectNames(url, error) }
    } else {
        let url = scratchFile("input-flow.safetensors", bytes, in: scratch)
        do {
            let file = try FlowFieldFile(url)
            _ = try file.fields(0..<file.count)
        } catch { return expectNames(url, error) }
    }
    return true
}
