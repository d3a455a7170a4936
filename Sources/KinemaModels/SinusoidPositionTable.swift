import Foundation
import KinemaNN

/// The fixed 1-D sinusoidal position table of VideoMAE and MME (Vaswani et al. 2017 §3.5, over the
/// flattened token index): entry `(p, j)` is `sin(p / 10000^(2⌊j/2⌋/d))` for even `j` and `cos` of
/// the same angle for odd `j`. Not a parameter and not in the state dict (VideoMAE builds it in
/// `get_sinusoid_encoding_table`; transformers' VideoMAE likewise), so any token count works: the
/// table is computed in double precision, as numpy does there, once per token count and device.
public final class SinusoidPositionTable {
    public let dimension: Int
    /// Like the model that owns it, used from one thread at a time.
    private var tables: [String: Tensor] = [:]

    public init(dimension: Int) { self.dimension = dimension }

    /// `[1, tokens, dimension]` in `dtype` on `device`.
    public func callAsFunction(tokens: Int, dtype: DType, device: Device) -> Tensor {
        let key = "\(tokens) \(dtype) \(device)"
        if let table = tables[key] { return table }
        // The input's device was reachable, so moving there cannot fail.
        let table = orTrap {
            try Tensor(Self.values(tokens: tokens, dimension: dimension), shape: [1, tokens, dimension])
                .checked.to(dtype, device: device)
        }
        tables[key] = table
        return table
    }

    static func values(tokens: Int, dimension d: Int) -> [Double] {
        var values = [Double](repeating: 0, count: tokens * d)
        for j in 0..<d {
            let period = pow(10000, Double(2 * (j / 2)) / Double(d))
            for p in 0..<tokens {
                let angle = Double(p) / period
                values[p * d + j] = j % 2 == 0 ? sin(angle) : cos(angle)
            }
        }
        return values
    }
}
