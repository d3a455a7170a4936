extension RandAugment {
    /// The 15 operations RandAugment draws from, in timm's order (`_RAND_TRANSFORMS`; the
    /// increasing variant `_RAND_INCREASING_TRANSFORMS` swaps in the increasing forms of posterize,
    /// solarize, colour, contrast, brightness and sharpness).
    public enum Transform: String, Sendable, CaseIterable {
        case autoContrast, equalize, invert, rotate, posterize, solarize, solarizeAdd
        case color, contrast, brightness, sharpness, shearX, shearY, translateXRel, translateYRel

        /// Whether the argument gets a random sign (timm's `_randomly_negate`): the geometric
        /// operations, and the enhancements of the increasing variant.
        public var isSigned: Bool {
            switch self {
            case .rotate, .shearX, .shearY, .translateXRel, .translateYRel: true
            default: false
            }
        }

        /// The operation at `level` ∈ [0, 10], as timm's `LEVEL_TO_ARG` maps it (l = level / 10;
        /// `int()` truncates):
        ///
        /// | transform | standard | increasing |
        /// |---|---|---|
        /// | rotate | ±30·l degrees | same |
        /// | posterize | int(4·l) bits kept | 4 − int(4·l) bits |
        /// | solarize | threshold int(256·l) | 256 − int(256·l) |
        /// | solarizeAdd | + int(110·l) below 128 | same |
        /// | color, contrast, brightness, sharpness | factor 0.1 + 1.8·l | 1 ± 0.9·l |
        /// | shearX, shearY | ±0.3·l | same |
        /// | translateXRel, translateYRel | ±0.45·l of the side | same |
        ///
        /// `negate` flips the sign of the signed ones (the geometric operations always, the
        /// enhancements only when `increasing`).
        public func operation(level: Double, increasing: Bool, negate: Bool) -> RandAugmentOperation {
            let l = level / RandAugment.maxLevel
            let sign = negate ? -1.0 : 1.0
            let enhancement = increasing ? 1 + sign * 0.9 * l : 0.1 + 1.8 * l
            return switch self {
            case .autoContrast: .autoContrast
            case .equalize: .equalize
            case .invert: .invert
            case .rotate: .rotate(degrees: sign * 30 * l)
            case .posterize: .posterize(bits: increasing ? 4 - Int(4 * l) : Int(4 * l))
            case .solarize: .solarize(threshold: increasing ? 256 - Int(256 * l) : Int(256 * l))
            case .solarizeAdd: .solarizeAdd(Int(110 * l))
            case .color: .color(enhancement)
            case .contrast: .contrast(enhancement)
            case .brightness: .brightness(enhancement)
            case .sharpness: .sharpness(enhancement)
            case .shearX: .shearX(sign * 0.3 * l)
            case .shearY: .shearY(sign * 0.3 * l)
            case .translateXRel: .translateX(sign * 0.45 * l)
            case .translateYRel: .translateY(sign * 0.45 * l)
            }
        }
    }
}
