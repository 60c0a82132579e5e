import Dispatch

/// Waits for something that happens on another thread, with a deadline instead of a sleep.
public final class Waiter: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    /// Creates a waiter with nothing signalled.
    public init() {}

    /// Marks one occurrence.
    public func signal() { semaphore.signal() }

    /// Waits for one occurrence; false if the deadline passed first.
    public func wait(seconds: Double = 10) -> Bool {
        semaphore.wait(timeout: .now() + seconds) == .success
    }
}
