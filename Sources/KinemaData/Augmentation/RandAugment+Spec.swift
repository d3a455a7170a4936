extension RandAugment {
    /// Parses timm's spec string: `rand` followed by dash-separated sections `m<number>`,
    /// `n<integer>`, `mstd<number>`, `inc<0|1>` in any order, each at most once; what a spec leaves
    /// out keeps timm's default (m 10, n 2, mstd 0, inc 0). VideoMAE's is `rand-m7-n4-mstd0.5-inc1`.
    ///
    /// Stricter than timm 0.4.12, which skips sections it cannot read and ignores unknown keys:
    /// a malformed spec is an error naming the section. `inc0` means the standard variant here
    /// (timm tests `bool("0")`, which is true); timm's weighted choice `w` is not supported.
    public init(spec: String) throws(DatasetError) {
        let example = "e.g. rand-m7-n4-mstd0.5-inc1"
        let sections = spec.split(separator: "-", omittingEmptySubsequences: false)
        guard sections.first == "rand" else {
            throw DatasetError("randAugment", "'\(spec)' is not a RandAugment spec: it must start with 'rand' (\(example))")
        }
        self.init()
        var seen: Set<Substring> = []
        for section in sections.dropFirst() {
            let key = section.prefix { $0.isLetter }
            let text = section.dropFirst(key.count)
            guard !key.isEmpty, !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(text)
            else {
                throw DatasetError(
                    "randAugment", "'\(spec)': section '\(section)' is not a key followed by a number (\(example))")
            }
            guard seen.insert(key).inserted else {
                throw DatasetError("randAugment", "'\(spec)': '\(key)' is given twice")
            }
            switch key {
            case "m":
                magnitude = value
            case "n":
                guard let count = Int(text) else {
                    throw DatasetError("randAugment", "'\(spec)': n must be a whole number of operations, got \(text)")
                }
                operations = count
            case "mstd":
                magnitudeStd = value
            case "inc":
                guard text == "0" || text == "1" else {
                    throw DatasetError("randAugment", "'\(spec)': inc must be 0 or 1, got \(text)")
                }
                increasing = text == "1"
            case "w":
                throw DatasetError("randAugment", "'\(spec)': timm's weighted operation choice (w) is not supported")
            default:
                throw DatasetError("randAugment", "'\(spec)': unknown section '\(section)'; known: m, n, mstd, inc")
            }
        }
        try validate()
    }
}
