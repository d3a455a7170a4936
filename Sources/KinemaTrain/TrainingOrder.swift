import KinemaData

/// Which training items step s takes. Both orders walk a seeded permutation per epoch, so the data
/// of a step depends on the step alone and a resumed run sees what an uninterrupted one would.
enum TrainingOrder {
    /// Items s·B ..< (s+1)·B of one long stream of per-epoch permutations, read modulo `count`
    /// within the epoch the slice starts in (fine-tuning): every batch is full, but when B does
    /// not divide `count` an epoch's last batch repeats items of its start.
    static func wrapping(step: Int, batch: Int, count: Int, seed: UInt64) -> (indices: [Int], epoch: Int) {
        let first = step * batch
        let epoch = first / count
        let permutation = self.permutation(epoch: epoch, count: count, seed: seed)
        return ((first..<(first + batch)).map { permutation[$0 % count] }, epoch)
    }

    /// Steps per epoch when every item is taken exactly once per epoch: ⌈count / batch⌉.
    static func stepsPerEpoch(batch: Int, count: Int) -> Int { (count + batch - 1) / batch }

    /// Epoch e is steps e·S ..< (e+1)·S, S = ``stepsPerEpoch(batch:count:)``: they cut epoch e's
    /// permutation into batches of B, the last one holding what is left, so every item is taken
    /// exactly once per epoch (MoSI: one frame per video per epoch). When B divides `count` this is
    /// ``wrapping(step:batch:count:seed:)``.
    static func epochs(step: Int, batch: Int, count: Int, seed: UInt64) -> (indices: [Int], epoch: Int) {
        let perEpoch = stepsPerEpoch(batch: batch, count: count)
        let (epoch, position) = step.quotientAndRemainder(dividingBy: perEpoch)
        let permutation = self.permutation(epoch: epoch, count: count, seed: seed)
        return (Array(permutation[(position * batch)..<min((position + 1) * batch, count)]), epoch)
    }

    private static func permutation(epoch: Int, count: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed &+ 3, index: epoch)
        return Array(0..<count).shuffled(using: &generator)
    }
}
