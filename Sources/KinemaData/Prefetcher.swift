import Foundation

/// Produces items on a background thread, a bounded number ahead of the consumer, so that a
/// training loop does not wait for data while the machine can keep up (docs/architecture-notes.md,
/// "Tensors, modules, training": data is
/// made as `Sendable` values off the compute thread; tensors are made on it).
///
/// Items are produced in order of their index (`start`, `start + 1`, …), so what the consumer sees
/// does not depend on timing: a resumed run that starts at the same index sees the same items.
/// ``waitSeconds`` accumulates the time ``next()`` spent blocked — the data-wait of a trainer.
/// Dropping the prefetcher (or ``stop()``) ends the thread, waiting for the item it is making, so
/// no producer outlives its consumer (a process must not exit with one mid-item).
public final class Prefetcher<Item: Sendable> {
    private let queue: PrefetchQueue<Item>

    /// Starts producing `produce(start)`, `produce(start + 1)`, … keeping up to `capacity` ready.
    public init(capacity: Int = 2, start: Int = 0, produce: @escaping @Sendable (Int) throws -> Item) {
        precondition(capacity > 0, "a prefetcher needs room for at least one item")
        let queue = PrefetchQueue<Item>(capacity: capacity)
        self.queue = queue
        let thread = Thread { queue.run(start: start, produce: produce) }
        thread.name = "kinema.prefetch"
        thread.start()
    }

    deinit { queue.stop() }

    /// Seconds ``next()`` has spent waiting for an item.
    public var waitSeconds: Double { queue.waitSeconds }

    /// The next item in index order; rethrows the producer's error for that index.
    public func next() throws -> Item { try queue.next() }

    /// Stops producing and waits for the producer thread to finish; items already made are dropped.
    public func stop() { queue.stop() }
}

/// The state shared by the consumer and the producer thread (the thread owns it, not the prefetcher).
private final class PrefetchQueue<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [Result<Item, any Error>] = []
    private var stopped = false
    private let capacity: Int
    private var waited = 0.0
    private var running = true

    init(capacity: Int) { self.capacity = capacity }

    var waitSeconds: Double {
        condition.lock()
        defer { condition.unlock() }
        return waited
    }

    func next() throws -> Item {
        let start = Date()
        condition.lock()
        while buffer.isEmpty && !stopped { condition.wait() }
        guard !buffer.isEmpty else {
            condition.unlock()
            throw CancellationError()
        }
        let item = buffer.removeFirst()
        waited += Date().timeIntervalSince(start)
        condition.broadcast()
        condition.unlock()
        return try item.get()
    }

    func stop() {
        condition.lock()
        stopped = true
        buffer.removeAll()
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    func run(start: Int, produce: @Sendable (Int) throws -> Item) {
        defer {
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        var index = start
        while true {
            condition.lock()
            while buffer.count >= capacity && !stopped { condition.wait() }
            let done = stopped
            condition.unlock()
            if done { return }
            let result = Result { try produce(index) }
            condition.lock()
            if !stopped { buffer.append(result) }
            condition.broadcast()
            condition.unlock()
            index += 1
        }
    }
}
