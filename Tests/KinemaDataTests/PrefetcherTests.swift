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

/// Sleeps a different, index-dependent time, so that with several workers items finish out of order.
private func unevenWork(_ index: Int) {
    Thread.sleep(forTimeInterval: Double((index * 7) % 5) * 0.003)
}

@Test func prefetcherGivesTheSameItemsWithOneAndFourWorkers() throws {
    func items(workers: Int) throws -> [Int] {
        let prefetcher = Prefetcher<Int>(workers: workers, start: 3) { index in
            unevenWork(index)
            return index * index
        }
        return try (0..<24).map { _ in try prefetcher.next() }
    }
    #expect(try items(workers: 4) == items(workers: 1))
    #expect(try items(workers: 4) == (3..<27).map { $0 * $0 })
}

@Test func prefetcherWithFourWorkersRethrowsEachErrorAtItsIndex() throws {
    let prefetcher = Prefetcher<Int>(workers: 4) { index in
        unevenWork(index)
        if index % 5 == 2 { throw ProducerFailure(index: index) }
        return index
    }
    for index in 0..<15 {
        if index % 5 == 2 {
            #expect(throws: ProducerFailure(index: index)) { try prefetcher.next() }
        } else {
            #expect(try prefetcher.next() == index)
        }
    }
}

/// How many producers run at once, the most that ever did, the highest index claimed, and how many started.
private final class ProducerLog: @unchecked Sendable {
    private let lock = NSLock()
    private var active = 0
    private(set) var mostActive = 0
    private(set) var highestIndex = -1
    private(set) var started = 0

    func enter(_ index: Int) {
        lock.withLock {
            active += 1
            started += 1
            mostActive = max(mostActive, active)
            highestIndex = max(highestIndex, index)
        }
    }

    func leave() { lock.withLock { active -= 1 } }

    var snapshot: (active: Int, mostActive: Int, highestIndex: Int, started: Int) {
        lock.withLock { (active, mostActive, highestIndex, started) }
    }
}

@Test func prefetcherWorkersRunConcurrentlyWithinTheBoundOnItemsInFlight() throws {
    let log = ProducerLog()
    let (workers, capacity) = (4, 6)
    let prefetcher = Prefetcher<Int>(workers: workers, capacity: capacity) { index in
        log.enter(index)
        defer { log.leave() }
        Thread.sleep(forTimeInterval: 0.01)
        return index
    }
    for consumed in 1...30 {
        #expect(try prefetcher.next() == consumed - 1)
        // Items ahead of the consumer (made, waiting or in the making) never exceed the capacity.
        #expect(log.snapshot.highestIndex < consumed + capacity)
        if consumed % 10 == 0 { Thread.sleep(forTimeInterval: 0.05) }  // a slow consumer: the workers fill up and wait
    }
    let seen = log.snapshot
    #expect(seen.mostActive > 1, "the workers made items one at a time")
    #expect(seen.mostActive <= workers)
}

@Test func stoppingAPrefetcherWithWorkersMidItemLeavesNoThreadRunning() throws {
    let log = ProducerLog()
    let prefetcher = Prefetcher<Int>(workers: 4, capacity: 8) { index in
        log.enter(index)
        defer { log.leave() }
        Thread.sleep(forTimeInterval: 0.05)
        return index
    }
    let deadline = Date().addingTimeInterval(5)
    while log.snapshot.active < 4 && Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
    #expect(log.snapshot.active == 4, "all four workers should be mid-item before the stop")
    prefetcher.stop()
    #expect(log.snapshot.active == 0)
    let started = log.snapshot.started
    Thread.sleep(forTimeInterval: 0.1)
    #expect(log.snapshot.started == started, "a worker started an item after stop() returned")
    #expect(throws: CancellationError.self) { try prefetcher.next() }
}
