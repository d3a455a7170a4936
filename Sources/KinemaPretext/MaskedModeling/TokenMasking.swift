/// Which tokens of a clip's `T' × H' × W'` token grid a masked autoencoder hides.
///
/// - ``Kind/tube``: VideoMAE's tube masking (Tong et al. 2022 §3.3; MME §3.3 uses it too): one
///   random set of `⌊ratio · H'W'⌋` positions per clip, masked in every temporal slice, so a masked
///   tube cannot be recovered from the same place in a neighbouring frame. 16×224² clips in 2×16×16
///   tubes have 8 × 196 tokens: ratio 0.9 masks 8 × 176 = 1408 and leaves 160 visible (VideoMAE),
///   0.7 masks 8 × 137 = 1096 and leaves 472 (MME).
/// - ``Kind/random``: `⌊ratio · T'H'W'⌋` positions anywhere (VideoMAE's ablation, Table 1c).
///
/// Each mask is drawn from the generator it is given; pass one seeded per sample
/// (`SeededGenerator(seed:index:)`) and a sample's mask does not depend on which thread draws it.
public struct TokenMasking: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case tube
        case random
    }

    public let kind: Kind
    /// The fraction of tokens masked, in (0, 1).
    public let ratio: Double

    public init(_ kind: Kind, ratio: Double) throws(MaskingError) {
        guard ratio > 0, ratio < 1 else { throw MaskingError("the mask ratio must be in (0, 1), got \(ratio)") }
        self.kind = kind
        self.ratio = ratio
    }

    /// Masked tokens of a `frames × height × width` token grid (the same for every clip).
    public func maskedCount(frames: Int, height: Int, width: Int) -> Int {
        switch kind {
        case .tube: frames * Int(ratio * Double(height * width))
        case .random: Int(ratio * Double(frames * height * width))
        }
    }

    /// One clip's mask in `(t, h, w)` token order, `true` where masked; drawn from `generator`.
    /// Throws when the grid would leave no token visible or mask none.
    public func mask<G: RandomNumberGenerator>(
        frames: Int, height: Int, width: Int, using generator: inout G
    ) throws(MaskingError) -> [Bool] {
        let tokens = frames * height * width
        let masked = maskedCount(frames: frames, height: height, width: width)
        guard tokens > 0, masked > 0, masked < tokens else {
            throw MaskingError(
                "\(kind.rawValue) masking at ratio \(ratio) masks \(masked) of the \(frames)×\(height)×\(width) = \(tokens) "
                    + "tokens: it must mask some and leave some visible (use a larger clip or another ratio)")
        }
        switch kind {
        case .tube:
            let perSlice = masked / frames
            var slice = [Bool](repeating: false, count: height * width - perSlice) + [Bool](repeating: true, count: perSlice)
            slice.shuffle(using: &generator)
            return Array((0..<frames).map { _ in slice }.joined())
        case .random:
            var mask = [Bool](repeating: false, count: tokens - masked) + [Bool](repeating: true, count: masked)
            mask.shuffle(using: &generator)
            return mask
        }
    }
}

/// A masking configuration that cannot work.
public struct MaskingError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
