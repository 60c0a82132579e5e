import Policies
import Synchronization

/// A clock tests move by hand.
final class ManualClock: PolicyClock {
    private let current = Mutex(PolicyInstant(nanoseconds: 1_000_000_000_000))

    func now() -> PolicyInstant { current.withLock { $0 } }

    func advance(by duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}
