import Policies

/// The hub's source of time: the monotonic instant every decision uses, plus the wall clock
/// that only the daily quota needs (it resets at UTC midnight).
///
/// The shell passes one clock to the hub and reads `now()` itself nowhere else; tests pass a
/// ``ManualChatClock`` and advance it by hand, so no test sleeps.
public protocol ChatClock: PolicyClock {
    /// Milliseconds since 1970-01-01T00:00:00Z (UTC), for the daily quota only.
    func wallMilliseconds() -> Int64
}
