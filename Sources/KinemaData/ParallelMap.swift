import Dispatch
import Synchronization

/// `body(0) … body(count − 1)` on up to `threads` threads (items handed out one at a time, so
/// uneven items balance), results in item order. The first error thrown stops the hand-out of new
/// items and is rethrown.
public func parallelMap<T: Sendable>(
    _ count: Int, threads: Int, _ body: @Sendable (Int) throws -> T
) throws -> [T] {
    if threads <= 1 || count <= 1 { return try (0..<count).map(body) }
    let next = Atomic<Int>(0)
    let results = Mutex<[T?]>(Array(repeating: nil, count: count))
    let failure = Mutex<(any Error)?>(nil)
    DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in
        while failure.withLock({ $0 == nil }) {
            let i = next.add(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            do {
                let value = try body(i)
                results.withLock { $0[i] = value }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    return results.withLock { $0.map { $0! } }
}
