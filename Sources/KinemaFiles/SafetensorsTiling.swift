/// The safetensors format's rule on the data after the header, shared by the two readers (the
/// compute side's `Safetensors` and the video side's flow and trajectory files): the tensors' byte
/// ranges tile it exactly, in order, with no overlap and no hole, as safetensors' own reader
/// requires. A hole is where a second entry under one name (which a JSON parser silently drops) or
/// a smuggled payload would sit.
public enum SafetensorsTiling {
    /// nil when `ranges` (offsets into the data, with their tensors' names) tile `0..<payload`;
    /// otherwise what is wrong, in words for an error message.
    public static func problem(_ ranges: [(range: Range<Int>, name: String)], payload: Int) -> String? {
        var covered = 0
        for (range, name) in ranges.sorted(by: { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) })
        where !range.isEmpty {
            if range.lowerBound < covered { return "tensor '\(name)' overlaps another (bytes \(range.lowerBound)..<\(covered))" }
            if range.lowerBound > covered {
                return "bytes \(covered)..<\(range.lowerBound) of the data belong to no tensor (a corrupt file, or two entries under one name)"
            }
            covered = range.upperBound
        }
        return covered == payload ? nil : "the data has \(payload - covered) bytes after its last tensor (a corrupt file?)"
    }
}
