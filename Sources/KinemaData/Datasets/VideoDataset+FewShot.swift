extension VideoDataset {
    /// Few-shot training data (MoSI Table 3): `k` videos of every class, drawn without replacement
    /// by a permutation seeded with `seed` (the same seed picks the same videos on any machine),
    /// kept in the dataset's order. A class with fewer than `k` videos keeps all of them.
    /// Throws unless `k ≥ 1`.
    public func fewShot(_ k: Int, seed: UInt64) throws(DatasetError) -> VideoDataset {
        guard k >= 1 else { throw DatasetError("few-shot", "k must be ≥ 1 video per class, got \(k)") }
        var byClass = [[Int]](repeating: [], count: classNames.count)
        for (index, item) in items.enumerated() { byClass[item.label].append(index) }
        let chosen = byClass.enumerated().flatMap { label, indices in
            // One stream per class, so a class's choice does not depend on the other classes' sizes.
            var generator = SeededGenerator(seed: seed, index: label)
            return indices.shuffled(using: &generator).prefix(k)
        }
        return try VideoDataset(
            items: chosen.sorted().map { items[$0] }, classNames: classNames, problems: problems,
            source: "\(k)-shot subset")
    }
}
