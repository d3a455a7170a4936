import KinemaData
import KinemaTensor
import KinemaVideo
import Testing

/// Splitting the clip conversion over threads gives the single-threaded values bit for bit.
@Test(arguments: [2, 3])
func clipBatchIsTheSameOnAnyNumberOfThreads(threads: Int) {
    let frame = texture(width: 9, height: 7)
    let clips = (0..<5).map { n in (0..<3).map { t in frame.adjusted([.hue(Float(n * 3 + t) / 16 - 0.5)]) } }
    for normalization in InputNormalization.allCases {
        let expected = ClipTensor.batch(clips, normalization, threads: 1)
        let ours = ClipTensor.batch(clips, normalization, threads: threads)
        #expect(ours.shape == expected.shape)
        #expect(ours.array(of: Float.self) == expected.array(of: Float.self))
    }
}

@Test func parallelMapKeepsOrderAndRethrows() throws {
    struct Failure: Error, Equatable { let item: Int }
    #expect(try parallelMap(100, threads: 3) { $0 * $0 } == (0..<100).map { $0 * $0 })
    #expect(try parallelMap(5, threads: 1) { $0 } == [0, 1, 2, 3, 4])
    #expect(throws: Failure(item: 7)) {
        try parallelMap(20, threads: 2) { i in
            if i == 7 { throw Failure(item: 7) }
            return i
        }
    }
}
