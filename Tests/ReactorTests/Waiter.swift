import Dispatch
import Synchronization

/// Waits for something that happens on another thread, with a deadline instead of a sleep.
final class Waiter: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    /// Marks one occurrence.
    func signal() { semaphore.signal() }

    /// Waits for one occurrence; false if the deadline passed first.
    func wait(seconds: Double = 10) -> Bool {
        semaphore.wait(timeout: .now() + seconds) == .success
    }
}

/// A value shared between a loop and the test thread.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value { storage.withLock { $0 } }
    @discardableResult func update<R>(_ body: (inout Value) -> R) -> R { storage.withLock { body(&$0) } }
}
