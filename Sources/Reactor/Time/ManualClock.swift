import Synchronization

/// A clock that only moves when told to, for tests of timer ordering and protocol timeouts.
///
/// Thread-safe so a test thread can advance it while an event loop reads it; after advancing,
/// wake the loop (any `execute`) so it re-examines its timers.
public final class ManualClock: ReactorClock {
    private let current: Mutex<MonotonicInstant>

    /// Creates a clock standing at `start`.
    public init(start: MonotonicInstant = MonotonicInstant(nanoseconds: 1_000_000_000)) {
        current = Mutex(start)
    }

    /// The instant the clock was last moved to.
    public func now() -> MonotonicInstant { current.withLock { $0 } }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}
