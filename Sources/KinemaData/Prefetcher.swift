import Foundation

/// Produces items on background threads, a bounded number ahead of the consumer, so that a
/// training loop does not wait for data while the machine can keep up (docs/architecture-notes.md,
/// "Tensors, modules, training": data is
/// made as `Sendable` values off the compute thread; tensors are made on it).
///
/// `workers` threads take the indices `start`, `start + 1`, … in turn and make their items
/// concurrently (a GPU consumes clips faster than one thread decodes them), but the consumer
/// receives them strictly in index order, so what it sees depends neither on timing nor on the
/// number of workers: a resumed run that starts at the same index sees the same items.
/// `produce` is therefore called from several threads at once and must depend on its index alone.
/// At most `capacity` items are made or waiting ahead of the consumer, which bounds the memory.
/// ``waitSeconds`` accumulates the time ``next()`` spent blocked — the data-wait of a trainer.
/// Dropping the prefetcher (or ``stop()``) ends the threads, waiting for the items they are
/// making, so no producer outlives its consumer (a process must not exit with one mid-item).
public final class Prefetcher<Item: Sendable> {
    private let queue: PrefetchQueue<Item>

    /// Starts producing `produce(start)`, `produce(start + 1)`, … on `workers` threads, keeping up
    /// to `capacity` items made or in the making (default: one more than the workers, so every
    /// worker can be busy while the next item waits ready).
    public init(workers: Int = 1, capacity: Int? = nil, start: Int = 0, produce: @escaping @Sendable (Int) throws -> Item) {
        precondition(workers > 0, "a prefetcher needs at least one worker")
        let capacity = capacity ?? workers + 1
        precondition(capacity >= workers, "a prefetcher needs room for an item per worker (\(workers)), got \(capacity)")
        let queue = PrefetchQueue<Item>(capacity: capacity, start: start, workers: workers)
        self.queue = queue
        for worker in 0..<workers {
            let thread = Thread { queue.run(produce: produce) }
            thread.name = "kinema.prefetch.\(worker)"
            thread.start()
        }
    }

    deinit { queue.stop() }

    /// Seconds ``next()`` has spent waiting for an item.
    public var waitSeconds: Double { queue.waitSeconds }

    /// The next item in index order; rethrows the producer's error for that index.
    public func next() throws -> Item { try queue.next() }

    /// Stops producing and waits for every worker thread to finish; items already made are dropped.
    public func stop() { queue.stop() }
}

/// The state shared by the consumer and the worker threads (the threads own it, not the prefetcher).
private final class PrefetchQueue<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Finished items by index; the consumer takes `consumed` once it is here.
    private var made: [Int: Result<Item, any Error>] = [:]
    /// The index the consumer takes next, and the next one a worker claims.
    private var consumed: Int
    private var claimed: Int
    private let capacity: Int
    private var stopped = false
    private var waited = 0.0
    private var running: Int

    init(capacity: Int, start: Int, workers: Int) {
        (self.capacity, consumed, claimed, running) = (capacity, start, start, workers)
    }

    var waitSeconds: Double {
        condition.lock()
        defer { condition.unlock() }
        return waited
    }

    func next() throws -> Item {
        let start = Date()
        condition.lock()
        while made[consumed] == nil && !stopped { condition.wait() }
        guard let item = made.removeValue(forKey: consumed) else {
            condition.unlock()
            throw CancellationError()
        }
        consumed += 1
        waited += Date().timeIntervalSince(start)
        condition.broadcast()
        condition.unlock()
        return try item.get()
    }

    func stop() {
        condition.lock()
        stopped = true
        made.removeAll()
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// One worker: claims the lowest unclaimed index while fewer than `capacity` items are ahead of
    /// the consumer, makes it outside the lock, and files it under its index.
    func run(produce: @Sendable (Int) throws -> Item) {
        defer {
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
        while true {
            condition.lock()
            while claimed - consumed >= capacity && !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let index = claimed
            claimed += 1
            condition.unlock()
            let result = Result { try produce(index) }
            condition.lock()
            if !stopped { made[index] = result }
            condition.broadcast()
            condition.unlock()
        }
    }
}
