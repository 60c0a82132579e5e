import Dispatch
import Foundation
import Synchronization

/// `map` across the machine's cores, keeping input order. For CPU-bound work on independent
/// items — decoding personality files — where each item takes long enough (tens of
/// microseconds) that spreading them pays for the hand-off.
package enum ParallelMap {
    /// The results of `transform` over `items`, in the order of `items`.
    package static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], _ transform: @Sendable (Item) -> Output
    ) -> [Output] {
        guard items.count > 1 else { return items.map(transform) }
        let results = Mutex<[Output?]>(Array(repeating: nil, count: items.count))
        let next = Atomic<Int>(0)
        // One worker per core claims items one by one: files differ in size, so claiming beats
        // cutting the list into fixed slices.
        let workers = min(items.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var local: [(Int, Output)] = []
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < items.count else { break }
                local.append((index, transform(items[index])))
            }
            results.withLock { slots in
                for (index, output) in local { slots[index] = output }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}

