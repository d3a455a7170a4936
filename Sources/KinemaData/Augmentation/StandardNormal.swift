import Foundation

/// Standard normal draws from an injected generator (Box–Muller), for the samplers that need
/// Gaussian noise: Beta's gamma draws, RandAugment's magnitude noise.
enum StandardNormal {
    static func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
