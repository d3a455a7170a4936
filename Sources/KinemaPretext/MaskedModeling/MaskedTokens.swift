import KinemaTensor

/// A batch of masks as the two index tensors the masked autoencoder gathers with: `visible`
/// `[N, V]` and `masked` `[N, M]` (int64, each in ascending token order, as boolean indexing with
/// the mask gives them in VideoMAE and transformers).
public struct MaskedTokens {
    public let visible: Tensor
    public let masked: Tensor

    /// From one mask a clip (`true` = masked), every mask with the same count.
    public init(_ masks: [[Bool]], device: Device = .cpu) throws(MaskingError) {
        guard let first = masks.first else { throw MaskingError("no masks to index") }
        let count = first.filter { $0 }.count
        guard masks.allSatisfy({ $0.count == first.count && $0.filter { $0 }.count == count }) else {
            throw MaskingError("every clip's mask must cover as many tokens and mask as many of them")
        }
        func indices(_ keep: Bool) -> Tensor {
            let rows = masks.flatMap { mask in mask.indices.filter { mask[$0] == keep }.map(Int64.init) }
            return Tensor(rows, shape: [masks.count, keep ? count : first.count - count])
        }
        do {
            (visible, masked) = (try indices(false).to(device), try indices(true).to(device))
        } catch {
            throw MaskingError("cannot move the mask indices to \(device): \(error)")
        }
    }

    /// The rows of the masked tokens, `[N, M, C]`, of per-token values `[N, L, C]` (targets).
    public func maskedRows(of values: Tensor) -> Tensor {
        values.gathered(dim: 1, index: masked.unsqueezed(-1).expanded(to: [masked.size(0), masked.size(1), values.size(2)]))
    }
}
