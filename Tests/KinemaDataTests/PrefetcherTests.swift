import Foundation
import KinemaData
import Testing

private struct ProducerFailure: Error, Equatable {
    let index: Int
}

@Test func prefetcherYieldsItemsInIndexOrderFromItsStart() throws {
    let prefetcher = Prefetcher<Int>(capacity: 3, start: 5) { $0 * $0 }
    let items = try (0..<10).map { _ in try prefetcher.next() }
    #expect(items == (5..<15).map { $0 * $0 })
}

@Test func prefetcherRethrowsTheProducersErrorForThatIndex() throws {
    let prefetcher = Prefetcher<Int>(capacity: 2) { index in
        if index == 2 { throw ProducerFailure(index: index) }
        return index
    }
    #expect(try prefetcher.next() == 0)
    #expect(try prefetcher.next() == 1)
    #expect(throws: ProducerFailure(index: 2)) { try prefetcher.next() }
    #expect(try prefetcher.next() == 3)
}

@Test func prefetcherCountsTheTimeTheConsumerWaits() throws {
    let prefetcher = Prefetcher<Int>(capacity: 1) { index in
        Thread.sleep(forTimeInterval: 0.02)
        return index
    }
    for _ in 0..<5 { _ = try prefetcher.next() }
    // The consumer does nothing between items, so it waits for most of the producer's 5 × 20 ms.
    #expect(prefetcher.waitSeconds > 0.05)
}

@Test func stoppedPrefetcherEndsItsConsumerInsteadOfBlocking() {
    let prefetcher = Prefetcher<Int>(capacity: 1) { index in
        Thread.sleep(forTimeInterval: 0.01)
        return index
    }
    prefetcher.stop()
    #expect(throws: CancellationError.self) { try prefetcher.next() }
}
