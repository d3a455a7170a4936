import KinemaPretext
import KinemaTestSupport
import Testing

@Test func defaultPoolIsTheReferenceNotesTable() throws {
    // docs/reference-implementations.md §1.2: label → (sx, sy) of the official generator with NUM_CLASSES 5, xy,
    // decoupled.
    let table = [(-2, 0), (-1, 0), (1, 0), (2, 0), (0, -2), (0, -1), (0, 1), (0, 2), (0, 0)]
    let pool = try MoSILabelPool()
    #expect(pool.speeds == table.map { MoSISpeed(x: $0.0, y: $0.1) })
    #expect(MoSIConfig().labelPool == pool)
}

@Test(arguments: 1...3)
func poolSizesFollowThePaper(k: Int) throws {
    // C_T = 4K + 1 decoupled (MoSI §3.1), 2K + 1 per single axis, (2K + 1)² coupled.
    #expect(try MoSILabelPool(speedsPerDirection: k, motions: .decoupled).count == 4 * k + 1)
    #expect(try MoSILabelPool(speedsPerDirection: k, motions: .horizontal).count == 2 * k + 1)
    #expect(try MoSILabelPool(speedsPerDirection: k, motions: .vertical).count == 2 * k + 1)
    #expect(try MoSILabelPool(speedsPerDirection: k, motions: .coupled).count == (2 * k + 1) * (2 * k + 1))
}

@Test func poolsMatchTheOfficialOrder() throws {
    let fx = try mosiFixture()
    for k in 1...3 {
        for motions in MoSILabelPool.Motions.allCases {
            let expected = try fx.ints("pool.k\(k).\(motions.rawValue)")
            let pool = try MoSILabelPool(speedsPerDirection: k, motions: motions)
            #expect(pool.speeds.flatMap { [$0.x, $0.y] } == expected, "K = \(k), \(motions)")
        }
    }
}

@Test func everyPoolHoldsTheMirrorOfEachMotion() throws {
    for motions in MoSILabelPool.Motions.allCases {
        let pool = try MoSILabelPool(speedsPerDirection: 2, motions: motions)
        for speed in pool.speeds { #expect(pool.label(of: speed.mirrored) != nil, "\(motions) \(speed)") }
    }
}

@Test func poolRejectsZeroSpeeds() {
    #expect(throws: MoSIError.self) { try MoSILabelPool(speedsPerDirection: 0) }
}
