import Policies
import Synchronization

/// A clock that moves only when told to: for tests, benchmarks and replays.
public final class ManualChatClock: ChatClock {
    private let state: Mutex<(monotonic: Int64, wall: Int64)>

    /// Creates a clock at monotonic 0 and the given wall time (default 2026-01-01T00:00:00Z).
    public init(wallMilliseconds: Int64 = 1_767_225_600_000) {
        state = Mutex((0, wallMilliseconds))
    }

    /// The current monotonic instant.
    public func now() -> PolicyInstant {
        PolicyInstant(nanoseconds: state.withLock { $0.monotonic })
    }

    /// The current wall time.
    public func wallMilliseconds() -> Int64 {
        state.withLock { $0.wall }
    }

    /// Moves both clocks forward by `duration`.
    public func advance(by duration: Duration) {
        let nanoseconds = PolicyInstant.zero.advanced(by: duration).nanoseconds
        state.withLock {
            $0.monotonic += nanoseconds
            $0.wall += nanoseconds / 1_000_000
        }
    }

    /// Moves both clocks forward to the monotonic `instant` (never backwards).
    public func advance(to instant: PolicyInstant) {
        state.withLock {
            let delta = max(0, instant.nanoseconds - $0.monotonic)
            $0.monotonic += delta
            $0.wall += delta / 1_000_000
        }
    }
}
